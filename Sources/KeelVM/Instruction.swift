/// The four opcodes of spec/VM.md section 4.
public enum Opcode: UInt8, Sendable, CaseIterable {
    case add = 0
    case mul = 1
    case deref = 2
    case jump = 3
}

/// How an operand field is read (spec/VM.md section 3). Mode 3 is invalid and has no case.
public enum OperandMode: UInt8, Sendable, CaseIterable {
    /// `imm k`: the value `k`.
    case imm = 0
    /// `reg k`: the value `m[fp + k]`, or as a place the cell `fp + k`.
    case reg = 1
    /// `fpo k`: the value `(fp + k) mod p`.
    case fpo = 2
}

/// One instruction exactly as encoded: an opcode, three operand fields with their modes,
/// and DEREF's direction bit. Every `Instruction` held by a `Program` obeys the mode rules of
/// spec/VM.md section 4 (the decoder and the assembler check them).
public struct Instruction: Hashable, Sendable {
    public var opcode: Opcode
    public var mode1: OperandMode
    public var mode2: OperandMode
    public var mode3: OperandMode
    /// DEREF direction: `false` loads, `true` stores. Always `false` for other opcodes.
    public var isStore: Bool
    public var o1: UInt32
    public var o2: UInt32
    public var o3: UInt32

    public init(
        _ opcode: Opcode,
        _ mode1: OperandMode, _ o1: UInt32,
        _ mode2: OperandMode, _ o2: UInt32,
        _ mode3: OperandMode, _ o3: UInt32,
        isStore: Bool = false
    ) {
        self.opcode = opcode
        self.mode1 = mode1
        self.mode2 = mode2
        self.mode3 = mode3
        self.isStore = isStore
        self.o1 = o1
        self.o2 = o2
        self.o3 = o3
    }

    /// `halt` in a program of `instructionCount` instructions: `jump 1, n, fp+0`.
    public static func halt(instructionCount: UInt32) -> Instruction {
        Instruction(.jump, .imm, 1, .imm, instructionCount, .fpo, 0)
    }
}
