/// The prover's debug check (spec/STARK.md §7 of the proposal: rejection must come from the
/// verifier, so this only makes an honest prover fail fast and clearly on a bad trace).
enum TraceConstraintChecker {
    /// Throws at the first constraint, in row order, that a trace row breaks.
    static func check<A: Air>(_ air: A, main: [[Fp]], aux: [[Fp4]], challenges: [Fp4]) throws(StarkProvingError) {
        let rowCount = main[0].count
        var folder = TraceWindowFolder(
            mainWidth: air.mainWidth, auxWidth: air.auxWidth, challenges: challenges,
            mode: .accumulate, accumulator: ConstraintAccumulator(alpha: .one, masked: []))
        for row in 0..<rowCount {
            let next = (row + 1) % rowCount
            folder.mode = .check(active: [true, row != rowCount - 1, row == 0, row == rowCount - 1])
            for column in main.indices {
                folder.mainLocal[column] = main[column][row]
                folder.mainNextRow[column] = main[column][next]
            }
            for column in aux.indices {
                folder.auxLocal[column] = aux[column][row]
                folder.auxNextRow[column] = aux[column][next]
            }
            folder.reset()
            air.evaluate(&folder)
            if let constraint = folder.firstFailure { throw .constraintFailed(constraint: constraint, row: row) }
        }
    }
}
