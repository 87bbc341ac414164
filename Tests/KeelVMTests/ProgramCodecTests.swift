import KeelCrypto
import KeelTestSupport
import XCTest

@testable import KeelVM

final class ProgramCodecTests: XCTestCase {
    /// A small valid program touching every opcode and mode.
    private let sample = Program(
        memoryLog2: 5, storageCount: 1, inputCount: 2, outputCount: 3,
        instructions: [
            Instruction(.add, .reg, 3, .imm, 7, .fpo, 2),
            Instruction(.mul, .reg, 4, .reg, 3, .imm, KoalaBear.p - 1),
            Instruction(.deref, .reg, 5, .reg, 1, .imm, 4),
            Instruction(.deref, .reg, 1, .imm, 2, .reg, 5, isStore: true),
            Instruction(.jump, .reg, 5, .imm, 0, .fpo, 0),
            Instruction(.jump, .imm, 1, .reg, 0, .reg, 1),
            .halt(instructionCount: 7),
        ])

    func testEncodingLayoutMatchesSpec() throws {
        let bytes = sample.encoded()
        XCTAssertEqual(bytes.count, 24 + 16 * 7)
        XCTAssertEqual(Array(bytes[0..<8]), Array("KEEL".utf8) + [1, 5, 0, 0])
        XCTAssertEqual(Array(bytes[8..<24]), [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 7, 0, 0, 0])
        // Instruction 3: deref store, modes (reg, imm, reg): 2 | 1<<2 | 0<<4 | 1<<6 | 1<<8.
        let word0 = bytes[24 + 48..<24 + 52]
        XCTAssertEqual(Array(word0), [0x46, 0x01, 0, 0])
        XCTAssertEqual(sample.hash, SHA256.hash(bytes))
    }

    func testRoundTrip() throws {
        XCTAssertEqual(try Program(decoding: sample.encoded()), sample)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let program = RandomProgram.make(using: &rng)
            XCTAssertEqual(try Program(decoding: program.encoded()), program)
        }
    }

    private func expectRejection(
        _ bytes: [UInt8], _ expected: ProgramError, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try Program(decoding: bytes), file: file, line: line) { error in
            XCTAssertEqual(error as? ProgramError, expected, file: file, line: line)
            XCTAssertFalse("\(error)".isEmpty)
        }
    }

    private func patched(_ offset: Int, _ newBytes: [UInt8]) -> [UInt8] {
        var bytes = sample.encoded()
        bytes.replaceSubrange(offset..<offset + newBytes.count, with: newBytes)
        return bytes
    }

    private func word(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }

    func testHeaderRejections() {
        expectRejection([], .truncatedHeader(length: 0))
        expectRejection(Array(sample.encoded().prefix(23)), .truncatedHeader(length: 23))
        expectRejection(patched(0, Array("KEEM".utf8)), .badMagic)
        expectRejection(patched(4, [2]), .unsupportedVersion(2))
        expectRejection(patched(5, [3]), .memoryLog2OutOfRange(3))
        expectRejection(patched(5, [25]), .memoryLog2OutOfRange(25))
        expectRejection(patched(6, [0, 1]), .reservedHeaderBytesNotZero)
        expectRejection(patched(7, [1]), .reservedHeaderBytesNotZero)
        expectRejection(patched(16, word(30)), .countsExceedMemory(storage: 1, input: 2, output: 30, memoryCells: 32))
        expectRejection(patched(8, word(UInt32.max)), .countsExceedMemory(storage: UInt32.max, input: 2, output: 3, memoryCells: 32))
        expectRejection(patched(20, word((1 << 20) + 1)), .tooManyInstructions((1 << 20) + 1))
        expectRejection(sample.encoded() + [0], .lengthMismatch(expected: 24 + 16 * 7, actual: 24 + 16 * 7 + 1))
        expectRejection(Array(sample.encoded().dropLast()), .lengthMismatch(expected: 24 + 16 * 7, actual: 24 + 16 * 7 - 1))
        expectRejection(patched(20, word(8)), .lengthMismatch(expected: 24 + 16 * 8, actual: 24 + 16 * 7))
    }

    func testLimitsAreAccepted() throws {
        // Every count at its bound is valid: S + I + O == 2^L, L = 4 and L = 24.
        var program = Program(memoryLog2: 4, storageCount: 16, instructions: [])
        XCTAssertEqual(try Program(decoding: program.encoded()), program)
        program = Program(memoryLog2: 24, storageCount: 0, inputCount: 1 << 23, outputCount: 1 << 23, instructions: [])
        XCTAssertEqual(try Program(decoding: program.encoded()).outputCount, 1 << 23)
        // A jump to n itself (the halting pc) is allowed.
        program = Program(instructions: [.halt(instructionCount: 1)])
        XCTAssertNoThrow(try Program(decoding: program.encoded()))
    }

    private func instructionRejection(
        _ index: Int, _ word0: UInt32, _ reason: InstructionError, operands: [UInt32] = [1, 1, 1],
        line: UInt = #line
    ) {
        let bytes = patched(24 + 16 * index, word(word0) + operands.flatMap(word))
        expectRejection(bytes, .invalidInstruction(index: index, reason: reason), line: line)
    }

    func testInstructionRejections() {
        let addRegRegReg: UInt32 = 0 | 1 << 2 | 1 << 4 | 1 << 6
        instructionRejection(0, addRegRegReg | 1 << 9, .reservedBitsSet(word0: addRegRegReg | 1 << 9))
        instructionRejection(0, addRegRegReg | 1 << 31, .reservedBitsSet(word0: addRegRegReg | 1 << 31))
        instructionRejection(1, addRegRegReg | 1 << 8, .directionBitOnNonDeref(.add))
        instructionRejection(1, 3 | 1 << 2 | 1 << 4 | 1 << 6 | 1 << 8, .directionBitOnNonDeref(.jump))
        instructionRejection(0, 0 | 3 << 2 | 1 << 4 | 1 << 6, .invalidMode(operand: 1))
        instructionRejection(0, 0 | 1 << 2 | 3 << 4 | 1 << 6, .invalidMode(operand: 2))
        instructionRejection(0, 0 | 1 << 2 | 1 << 4 | 3 << 6, .invalidMode(operand: 3))
        instructionRejection(2, 0 | 0 << 2 | 1 << 4 | 1 << 6,
                             .modeNotAllowed(opcode: .add, isStore: false, operand: 1, mode: .imm))
        instructionRejection(2, 1 | 2 << 2 | 1 << 4 | 1 << 6,
                             .modeNotAllowed(opcode: .mul, isStore: false, operand: 1, mode: .fpo))
        // deref load is (reg, reg, imm); deref store is (reg, imm, imm/reg/fpo).
        instructionRejection(2, 2 | 1 << 2 | 2 << 4 | 0 << 6,
                             .modeNotAllowed(opcode: .deref, isStore: false, operand: 2, mode: .fpo))
        instructionRejection(2, 2 | 1 << 2 | 1 << 4 | 1 << 6,
                             .modeNotAllowed(opcode: .deref, isStore: false, operand: 3, mode: .reg))
        instructionRejection(3, 2 | 1 << 2 | 1 << 4 | 1 << 6 | 1 << 8,
                             .modeNotAllowed(opcode: .deref, isStore: true, operand: 2, mode: .reg))
        instructionRejection(3, 2 | 0 << 2 | 0 << 4 | 1 << 6 | 1 << 8,
                             .modeNotAllowed(opcode: .deref, isStore: true, operand: 1, mode: .imm))
        // jump is (imm/reg, imm/reg, reg/fpo).
        instructionRejection(4, 3 | 2 << 2 | 0 << 4 | 2 << 6,
                             .modeNotAllowed(opcode: .jump, isStore: false, operand: 1, mode: .fpo))
        instructionRejection(4, 3 | 1 << 2 | 2 << 4 | 2 << 6,
                             .modeNotAllowed(opcode: .jump, isStore: false, operand: 2, mode: .fpo))
        instructionRejection(4, 3 | 1 << 2 | 0 << 4 | 0 << 6,
                             .modeNotAllowed(opcode: .jump, isStore: false, operand: 3, mode: .imm))
        instructionRejection(0, addRegRegReg, .operandNotInField(operand: 2, value: KoalaBear.p), operands: [1, KoalaBear.p, 1])
        instructionRejection(0, addRegRegReg, .operandNotInField(operand: 3, value: UInt32.max), operands: [1, 1, UInt32.max])
        instructionRejection(4, 3 | 1 << 2 | 0 << 4 | 2 << 6, .jumpTargetOutOfRange(target: 8, instructionCount: 7), operands: [5, 8, 0])
    }

    func testEveryTruncationIsRejectedNotCrashed() {
        let bytes = sample.encoded()
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try Program(decoding: bytes.prefix(length)), "length \(length)")
        }
    }
}
