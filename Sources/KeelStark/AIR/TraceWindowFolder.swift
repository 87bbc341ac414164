/// States an AIR's constraints on one window of concrete values (a row and the next): the
/// prover's quotient at one point of the quotient domain, or the debug checker on one trace row.
struct TraceWindowFolder: ConstraintBuilder {
    typealias Value = Fp
    typealias ExtensionValue = Fp4

    enum Mode {
        /// Weighs every constraint into the sums (the prover's quotient).
        case accumulate
        /// Records every constraint that is nonzero on a row set marked active (the debug
        /// checker), indexed by `RowSet.rawValue`.
        case check(active: [Bool])
    }

    var mainLocal: [Fp]
    var mainNextRow: [Fp]
    var auxLocal: [Fp4]
    var auxNextRow: [Fp4]
    let challenges: [Fp4]
    let auxPublicValues: [Fp4]
    var mode: Mode
    var accumulator: ConstraintAccumulator
    /// The constraints found nonzero on an active row set since the last `reset`, in order.
    private(set) var failures: [Int] = []
    private var constraintIndex = 0

    init(mainWidth: Int, auxWidth: Int, challenges: [Fp4], auxPublicValues: [Fp4] = [], mode: Mode, accumulator: ConstraintAccumulator) {
        mainLocal = [Fp](repeating: .zero, count: mainWidth)
        mainNextRow = mainLocal
        auxLocal = [Fp4](repeating: .zero, count: auxWidth)
        auxNextRow = auxLocal
        self.challenges = challenges
        self.auxPublicValues = auxPublicValues
        self.mode = mode
        self.accumulator = accumulator
    }

    /// Loads the main columns' values at `row` and at `next` (column-major `main`).
    mutating func loadMain(_ main: [[Fp]], row: Int, next: Int) {
        for column in main.indices {
            mainLocal[column] = main[column][row]
            mainNextRow[column] = main[column][next]
        }
    }

    /// Prepares for the next window.
    mutating func reset() {
        accumulator.reset()
        failures.removeAll(keepingCapacity: true)
        constraintIndex = 0
    }

    func main(_ column: Int) -> Fp { mainLocal[column] }
    func mainNext(_ column: Int) -> Fp { mainNextRow[column] }
    func aux(_ column: Int) -> Fp4 { auxLocal[column] }
    func auxNext(_ column: Int) -> Fp4 { auxNextRow[column] }
    func challenge(_ index: Int) -> Fp4 { challenges[index] }
    func auxPublic(_ index: Int) -> Fp4 { auxPublicValues[index] }

    mutating func assertZero(_ value: Fp, on rows: RowSet) {
        switch mode {
        case .accumulate: accumulator.add(value, on: rows)
        case .check(let active): record(isZero: value == .zero, active: active[rows.rawValue])
        }
    }

    mutating func assertZeroExtension(_ value: Fp4, on rows: RowSet) {
        switch mode {
        case .accumulate: accumulator.add(value, on: rows)
        case .check(let active): record(isZero: value == .zero, active: active[rows.rawValue])
        }
    }

    private mutating func record(isZero: Bool, active: Bool) {
        if active && !isZero { failures.append(constraintIndex) }
        constraintIndex += 1
    }
}
