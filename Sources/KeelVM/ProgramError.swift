/// Why a program was rejected: every rule of spec/VM.md section 6, each with its context.
public enum ProgramError: Error, Hashable, Sendable, CustomStringConvertible {
    case truncatedHeader(length: Int)
    case badMagic
    case unsupportedVersion(UInt8)
    case memoryLog2OutOfRange(UInt8)
    case reservedHeaderBytesNotZero
    case countsExceedMemory(storage: UInt32, input: UInt32, output: UInt32, memoryCells: UInt32)
    case tooManyInstructions(UInt32)
    case lengthMismatch(expected: UInt64, actual: Int)
    case invalidInstruction(index: Int, reason: InstructionError)

    public var description: String {
        switch self {
        case let .truncatedHeader(length):
            return "file is \(length) bytes, shorter than the 24-byte header"
        case .badMagic:
            return "bad magic: not a KEEL program"
        case let .unsupportedVersion(version):
            return "unsupported version \(version) (expected 1)"
        case let .memoryLog2OutOfRange(log2):
            return "memory size L=\(log2) out of range \(Program.memoryLog2Min)...\(Program.memoryLog2Max)"
        case .reservedHeaderBytesNotZero:
            return "reserved header bytes 6-7 are not zero"
        case let .countsExceedMemory(storage, input, output, memoryCells):
            return "storage \(storage) + input \(input) + output \(output) exceeds \(memoryCells) memory cells"
        case let .tooManyInstructions(count):
            return "instruction count \(count) exceeds \(Program.instructionCountMax)"
        case let .lengthMismatch(expected, actual):
            return "file is \(actual) bytes but its header implies \(expected)"
        case let .invalidInstruction(index, reason):
            return "instruction \(index): \(reason)"
        }
    }
}

/// Why one instruction breaks the encoding or mode rules of spec/VM.md sections 4 and 6.
/// Operand positions are 1, 2, 3 as in `o1, o2, o3`.
public enum InstructionError: Error, Hashable, Sendable, CustomStringConvertible {
    case reservedBitsSet(word0: UInt32)
    case directionBitOnNonDeref(Opcode)
    case invalidMode(operand: Int)
    case modeNotAllowed(opcode: Opcode, isStore: Bool, operand: Int, mode: OperandMode)
    case operandNotInField(operand: Int, value: UInt32)
    case jumpTargetOutOfRange(target: UInt32, instructionCount: UInt32)

    public var description: String {
        switch self {
        case let .reservedBitsSet(word0):
            return "reserved bits 9-31 of word0 are set (word0 = 0x\(String(word0, radix: 16)))"
        case let .directionBitOnNonDeref(opcode):
            return "direction bit set on \(opcode), which is not deref"
        case let .invalidMode(operand):
            return "operand \(operand) has the invalid mode 3"
        case let .modeNotAllowed(opcode, isStore, operand, mode):
            let name = opcode == .deref ? (isStore ? "deref store" : "deref load") : "\(opcode)"
            return "mode \(mode) is not allowed for operand \(operand) of \(name)"
        case let .operandNotInField(operand, value):
            return "operand \(operand) value \(value) is not below p = \(KoalaBear.p)"
        case let .jumpTargetOutOfRange(target, count):
            return "jump target \(target) is past the end of the program (n = \(count))"
        }
    }
}
