/// A Keel VM program: the header of spec/VM.md section 6 and its instructions.
///
/// A `Program` built by the decoder or the assembler is valid: its counts fit its memory and its
/// instructions obey the mode rules. `validate()` checks that for programs built by hand.
public struct Program: Hashable, Sendable {
    /// The bounds of spec/VM.md section 6.
    public static let memoryLog2Min: UInt8 = 4
    public static let memoryLog2Max: UInt8 = 24
    public static let instructionCountMax: UInt32 = 1 << 20

    /// `L`: the machine has `2^L` memory cells.
    public var memoryLog2: UInt8
    /// `S`: storage cells, `m[0 ..< S)`.
    public var storageCount: UInt32
    /// `I`: input cells, `m[S ..< S+I)`.
    public var inputCount: UInt32
    /// `O`: output cells, `m[S+I ..< S+I+O)`.
    public var outputCount: UInt32
    public var instructions: [Instruction]

    public init(
        memoryLog2: UInt8 = 16,
        storageCount: UInt32 = 0,
        inputCount: UInt32 = 0,
        outputCount: UInt32 = 0,
        instructions: [Instruction]
    ) {
        self.memoryLog2 = memoryLog2
        self.storageCount = storageCount
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.instructions = instructions
    }

    /// `M = 2^L`, the number of memory cells.
    public var memoryCellCount: UInt32 { 1 << UInt32(memoryLog2) }

    /// `n`, the number of instructions (the halting `pc`).
    public var instructionCount: UInt32 { UInt32(instructions.count) }
}
