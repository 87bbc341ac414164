/// The prover's debug check (spec/STARK.md §7 of the proposal: rejection must come from the
/// verifier, so this only makes an honest prover fail fast and clearly on a bad trace).
enum TraceConstraintChecker {
    /// Throws at the first constraint, in row order, that a trace row breaks.
    static func check<A: Air>(_ air: A, main: [[Fp]], aux: [[Fp4]], challenges: [Fp4]) throws(StarkProvingError) {
        if let problem = air.statementProblem { throw .badTrace("the statement: \(problem)") }
        if let (constraint, row) = failures(air, main: main, aux: aux, challenges: challenges, stopAtFirst: true).first {
            throw .constraintFailed(constraint: constraint, row: row)
        }
    }

    /// Every constraint that some row of `rows` (default: all) breaks, for the soundness
    /// tests' fixtures.
    @_specialize(exported: true, where A == VmAir)
    @_specialize(exported: true, where A == RangeLookupAir)
    @_specialize(exported: true, where A == FibonacciAir)
    static func failingConstraints<A: Air>(_ air: A, main: [[Fp]], aux: [[Fp4]], challenges: [Fp4], rows: [Int]? = nil) -> Set<Int> {
        Set(failures(air, main: main, aux: aux, challenges: challenges, stopAtFirst: false, rows: rows).map(\.constraint))
    }

    /// (constraint, row) failures in row order; only the first if `stopAtFirst`.
    private static func failures<A: Air>(
        _ air: A, main: [[Fp]], aux: [[Fp4]], challenges: [Fp4], stopAtFirst: Bool, rows: [Int]? = nil
    ) -> [(constraint: Int, row: Int)] {
        var found: [(constraint: Int, row: Int)] = []
        let rowCount = main[0].count
        var folder = TraceWindowFolder(
            mainWidth: air.mainWidth, auxWidth: air.auxWidth, challenges: challenges,
            auxPublicValues: air.auxPublicValues(challenges: challenges, logTraceLength: main[0].count.trailingZeroBitCount),
            mode: .accumulate, accumulator: ConstraintAccumulator(alpha: .one, masked: []))
        for row in rows ?? Array(0..<rowCount) {
            let next = (row + 1) % rowCount
            folder.mode = .check(active: [true, row != rowCount - 1, row == 0, row == rowCount - 1])
            folder.loadMain(main, row: row, next: next)
            for column in aux.indices {
                folder.auxLocal[column] = aux[column][row]
                folder.auxNextRow[column] = aux[column][next]
            }
            folder.reset()
            air.evaluate(&folder)
            found.append(contentsOf: folder.failures.map { (constraint: $0, row: row) })
            if stopAtFirst && !found.isEmpty { return Array(found.prefix(1)) }
        }
        return found
    }
}
