import KeelVM

/// The lowered program of spec/STARK.md §9.1: what the prover commits as the program table and
/// what the verifier interpolates to check it.
public struct VmProgramTable: Hashable, Sendable {
    /// One lowered instruction: its word `w` (without the `+1024` marker) and operands.
    public struct Row: Hashable, Sendable {
        public let word: UInt32
        public let o1: UInt32
        public let o2: UInt32
        public let o3: UInt32
        /// The decoded flags, for the tracer.
        public let instruction: Instruction
    }

    /// `M`.
    public let memoryCellCount: UInt32
    public let rows: [Row]

    /// The marker added to every real row's word (§9.1).
    public static let realRowMarker: UInt32 = 1024

    public init(_ program: Program) {
        let cells = program.memoryCellCount
        memoryCellCount = cells
        rows = program.instructions.map { VmProgramTable.lower($0, memoryCellCount: cells) }
    }

    /// `min(o, M)` for every operand used as an address or frame offset.
    static func lower(_ instruction: Instruction, memoryCellCount cells: UInt32) -> Row {
        var lowered = instruction
        func clamp(_ operand: UInt32) -> UInt32 { min(operand, cells) }
        if lowered.mode1 == .reg { lowered.o1 = clamp(lowered.o1) }
        if lowered.mode2 == .reg { lowered.o2 = clamp(lowered.o2) }
        if lowered.mode3 == .reg { lowered.o3 = clamp(lowered.o3) }
        switch (lowered.opcode, lowered.isStore) {
        case (.deref, false): lowered.o3 = clamp(lowered.o3)
        case (.deref, true): lowered.o2 = clamp(lowered.o2)
        case (.jump, _) where lowered.mode3 == .fpo: lowered.o3 = clamp(lowered.o3)
        default: break
        }
        return Row(word: word(lowered), o1: lowered.o1, o2: lowered.o2, o3: lowered.o3, instruction: lowered)
    }

    /// `w = add + 2mul + 4ld + 8st + 16jmp + 32(r1 + 2f1) + 128(r2 + 2f2) + 512(r3 + 2f3)`.
    static func word(_ instruction: Instruction) -> UInt32 {
        let opcode: UInt32 = switch (instruction.opcode, instruction.isStore) {
        case (.add, _): 1
        case (.mul, _): 2
        case (.deref, false): 4
        case (.deref, true): 8
        case (.jump, _): 16
        }
        return opcode + 32 * modeDigit(instruction.mode1) + 128 * modeDigit(instruction.mode2) + 512 * modeDigit(instruction.mode3)
    }

    /// `r + 2f` of a mode.
    static func modeDigit(_ mode: OperandMode) -> UInt32 {
        switch mode {
        case .imm: 0
        case .reg: 1
        case .fpo: 2
        }
    }

    /// The table's four public columns over `rowCount` rows: `Pw, P1, P2, P3` (zero past `n`).
    func publicColumns(rowCount: Int) -> [[Fp]] {
        precondition(rows.count <= rowCount, "the trace holds the whole program table")
        var columns = [[Fp]](repeating: [Fp](repeating: .zero, count: rowCount), count: 4)
        for (index, row) in rows.enumerated() {
            columns[0][index] = Fp(UInt64(row.word + VmProgramTable.realRowMarker))
            columns[1][index] = Fp(UInt64(row.o1))
            columns[2][index] = Fp(UInt64(row.o2))
            columns[3][index] = Fp(UInt64(row.o3))
        }
        return columns
    }

    /// The public columns' polynomials at `point` over a trace of `2^logTraceLength` rows:
    /// `Σ_{j<n} P_j·L_j(point)`, with `L_j(x) = ω^j (x^N − 1)/(N (x − ω^j))`. O(n).
    func publicColumnValues(at point: Fp4, logTraceLength: Int) -> [Fp4] {
        let domain = TwoAdicCoset(logSize: logTraceLength)
        precondition(rows.count <= domain.size, "the trace holds the whole program table")
        let interpolation = Barycentric(point: point, traceDomain: domain, count: rows.count)
        return publicColumns(rowCount: rows.count).map { interpolation.evaluate($0) }
    }
}
