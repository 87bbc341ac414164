import KeelVM

/// The VM AIR of spec/STARK.md §9: one row per step of one call.
///
/// - Important: Stage 2. The memory table and bus are not there yet, so the slot values
///   `vA, vB, vC` are unconstrained: a proof shows that the steps follow the program's control
///   flow and operand arithmetic over claimed memory values, which is **not** a proof of the
///   call's result. Only the tests use it until stage 3.
public struct VmAir: Air {
    public let table: VmProgramTable
    /// `T`: the steps the run took.
    public let stepCount: UInt64
    /// `P`: the pc where it stopped.
    public let finalPc: UInt32

    public init(program: Program, stepCount: UInt64, finalPc: UInt32) {
        table = VmProgramTable(program)
        self.stepCount = stepCount
        self.finalPc = finalPc
    }

    public var mainWidth: Int { VmColumn.allCases.count }
    public var auxWidth: Int { VmBuses.helperCount + 1 }
    public var challengeCount: Int { 2 }
    public var maxConstraintDegree: Int { 3 }
    public var logTraceLengthRange: ClosedRange<Int> {
        let needed = max(Int(clamping: stepCount) + 1, table.rows.count, 1 << VmTrace.logRowCountMin)
        let lower = Int.bitWidth - (needed - 1).leadingZeroBitCount
        return lower...max(lower, VmTrace.logRowCountMax)
    }
    /// Seven fractions per row.
    public var challengeSoundnessFactor: Int { VmBuses.fractionsPerRow * 6 }

    public var binding: [UInt8] {
        var writer = ProofWriter()
        for byte in "keel-vm-air-stage2".utf8 { writer.write(byte) }
        writer.write(table.memoryCellCount)
        writer.write(stepCount)
        writer.write(finalPc)
        writer.writeCount(table.rows.count)
        for row in table.rows {
            writer.write(row.word)
            writer.write(row.o1)
            writer.write(row.o2)
            writer.write(row.o3)
        }
        return writer.bytes
    }

    public func checkPublicColumns(local: [Fp4], zeta: Fp4, logTraceLength: Int) -> Bool {
        let expected = table.publicColumnValues(at: zeta, logTraceLength: logTraceLength)
        return VmColumn.publicProgram.enumerated().allSatisfy { local[$0.element.rawValue] == expected[$0.offset] }
    }

    public func evaluate<Builder: ConstraintBuilder>(_ builder: inout Builder) {
        VmCpuConstraints.evaluate(&builder, memoryCellCount: table.memoryCellCount, stepCount: stepCount, finalPc: finalPc)
        VmBuses.evaluate(&builder)
    }

    public func buildAuxTrace(main: [[Fp]], challenges: [Fp4]) -> [[Fp4]] {
        VmBuses.auxTrace(main: main, challenges: challenges)
    }
}
