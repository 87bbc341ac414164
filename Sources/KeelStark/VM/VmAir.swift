import KeelVM

/// The VM AIR of spec/STARK.md §9: one row per step of one call, a sorted memory table, and the
/// program, memory and range buses.
public struct VmAir: Air {
    public let statement: VmStatement
    let table: VmProgramTable

    public init(_ statement: VmStatement) {
        self.statement = statement
        table = VmProgramTable(statement.program)
    }

    var stepCount: UInt64 { statement.result.steps }

    public var mainWidth: Int { VmColumn.allCases.count }
    public var auxWidth: Int { VmBuses.helperCount + 1 }
    public var challengeCount: Int { 2 }
    public var maxConstraintDegree: Int { 3 }
    public var statementProblem: String? { statement.problem }

    /// From `max(T + 1, n, 2^12, ⌈(2S + I + O + 1)/3⌉)` rows up to `2^21` (§9.5).
    public var logTraceLengthRange: ClosedRange<Int> {
        let program = statement.program
        let publicEntries = statement.publicMemoryEntryCount
        // A statement with more steps fails `statementProblem`; clamping keeps the sum exact.
        let steps = Int(min(stepCount, UInt64(1 << VmTrace.logRowCountMax)))
        let needed = max(steps + 1, program.instructions.count, 1 << VmTrace.logRowCountMin, (publicEntries + 2) / 3)
        let least = Int.bitWidth - (needed - 1).leadingZeroBitCount
        return least...max(least, VmTrace.logRowCountMax)
    }

    /// Nineteen fractions per row over fingerprints of degree 1 in the columns, for `3N` table
    /// entries: the logUp bound counts them all.
    public var challengeSoundnessFactor: Int { VmBuses.fractionsPerRow * 6 }

    public var binding: [UInt8] { Array("keel-vm-air-v1".utf8) + statement.encoded(table: table) }

    public func checkPublicColumns(local: [Fp4], zeta: Fp4, logTraceLength: Int) -> Bool {
        let expected = table.publicColumnValues(at: zeta, logTraceLength: logTraceLength)
        return VmColumn.publicProgram.enumerated().allSatisfy { local[$0.element.rawValue] == expected[$0.offset] }
    }

    /// `P_pub`: the public memory entries' fractions, summed (§9.4).
    public func auxPublicValues(challenges: [Fp4], logTraceLength: Int) -> [Fp4] {
        let entries = statement.publicMemoryEntries(logTraceLength: logTraceLength)
        let denominators = entries.map { VmBuses.memoryDenominator($0, gamma: challenges[0], beta: challenges[1]) }
        return [BatchInversion.invert(denominators).reduce(Fp4.zero, +)]
    }

    public func evaluate<Builder: ConstraintBuilder>(_ builder: inout Builder) {
        VmCpuConstraints.evaluate(&builder, memoryCellCount: table.memoryCellCount, stepCount: stepCount, finalPc: statement.result.pc)
        VmMemoryConstraints.evaluate(&builder, memoryCellCount: table.memoryCellCount)
        VmBuses.evaluate(&builder)
    }

    public func buildAuxTrace(main: [[Fp]], challenges: [Fp4]) -> [[Fp4]] {
        VmBuses.auxTrace(main: main, challenges: challenges)
    }
}
