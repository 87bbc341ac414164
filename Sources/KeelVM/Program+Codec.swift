import KeelCrypto

extension Program {
    /// The file's magic, "KEEL".
    public static let magic: [UInt8] = Array("KEEL".utf8)
    /// The encoding version of spec/VM.md.
    public static let version: UInt8 = 1
    public static let headerByteCount = 24
    public static let instructionByteCount = 16

    /// Decodes a `.kvm` file (spec/VM.md section 6), rejecting anything that breaks a rule.
    ///
    /// - Throws: `ProgramError` naming the first rule broken.
    public init(decoding bytes: some Collection<UInt8>) throws(ProgramError) {
        let bytes = Array(bytes)
        guard bytes.count >= Self.headerByteCount else { throw .truncatedHeader(length: bytes.count) }
        guard Array(bytes[0..<4]) == Self.magic else { throw .badMagic }
        guard bytes[4] == Self.version else { throw .unsupportedVersion(bytes[4]) }
        let memoryLog2 = bytes[5]
        guard (Self.memoryLog2Min...Self.memoryLog2Max).contains(memoryLog2) else {
            throw .memoryLog2OutOfRange(memoryLog2)
        }
        guard bytes[6] == 0 && bytes[7] == 0 else { throw .reservedHeaderBytesNotZero }
        let count = Self.readWord(bytes, at: 20)
        guard count <= Self.instructionCountMax else { throw .tooManyInstructions(count) }
        let expectedLength = UInt64(Self.headerByteCount) + UInt64(Self.instructionByteCount) * UInt64(count)
        guard UInt64(bytes.count) == expectedLength else {
            throw .lengthMismatch(expected: expectedLength, actual: bytes.count)
        }
        var instructions: [Instruction] = []
        instructions.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            let offset = Self.headerByteCount + Self.instructionByteCount * index
            do throws(InstructionError) {
                instructions.append(try Self.decodeInstruction(bytes, at: offset))
            } catch {
                throw .invalidInstruction(index: index, reason: error)
            }
        }
        self.init(
            memoryLog2: memoryLog2,
            storageCount: Self.readWord(bytes, at: 8),
            inputCount: Self.readWord(bytes, at: 12),
            outputCount: Self.readWord(bytes, at: 16),
            instructions: instructions)
        // The remaining rules (counts, modes, operands, jump targets) are the validator's.
        try validate()
    }

    /// The canonical `.kvm` encoding; decoding it gives back an equal program.
    public func encoded() -> [UInt8] {
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerByteCount + Self.instructionByteCount * instructions.count)
        bytes += [Self.version, memoryLog2, 0, 0]
        for word in [storageCount, inputCount, outputCount, instructionCount] { Self.appendWord(word, to: &bytes) }
        for instruction in instructions {
            var word0 = UInt32(instruction.opcode.rawValue)
            word0 |= UInt32(instruction.mode1.rawValue) << 2
            word0 |= UInt32(instruction.mode2.rawValue) << 4
            word0 |= UInt32(instruction.mode3.rawValue) << 6
            word0 |= instruction.isStore ? 1 << 8 : 0
            for word in [word0, instruction.o1, instruction.o2, instruction.o3] { Self.appendWord(word, to: &bytes) }
        }
        return bytes
    }

    /// The program hash: SHA-256 of the whole encoding.
    public var hash: Hash32 { SHA256.hash(encoded()) }

    private static func decodeInstruction(_ bytes: [UInt8], at offset: Int) throws(InstructionError) -> Instruction {
        let word0 = readWord(bytes, at: offset)
        guard word0 >> 9 == 0 else { throw .reservedBitsSet(word0: word0) }
        let opcode = Opcode(rawValue: UInt8(word0 & 3))!
        var modes: [OperandMode] = []
        for position in 1...3 {
            let raw = UInt8((word0 >> (2 * UInt32(position))) & 3)
            guard let mode = OperandMode(rawValue: raw) else { throw .invalidMode(operand: position) }
            modes.append(mode)
        }
        return Instruction(
            opcode,
            modes[0], readWord(bytes, at: offset + 4),
            modes[1], readWord(bytes, at: offset + 8),
            modes[2], readWord(bytes, at: offset + 12),
            isStore: word0 & (1 << 8) != 0)
    }

    private static func readWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }

    private static func appendWord(_ word: UInt32, to bytes: inout [UInt8]) {
        bytes += [UInt8(truncatingIfNeeded: word), UInt8(truncatingIfNeeded: word >> 8),
                  UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 24)]
    }
}
