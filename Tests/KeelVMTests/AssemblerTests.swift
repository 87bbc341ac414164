import KeelTestSupport
import XCTest

@testable import KeelVM

final class AssemblerTests: XCTestCase {
    /// The example of spec/VM.md section 7, verbatim.
    private let specExample = """
        .memory 16            ; L (default 16)
        .storage 1            ; S (default 0)
        .inputs 1             ; I (default 0)
        .outputs 1            ; O (default 0)
        loop:                 ; a label names the index of the next instruction
          add   r3, r1, 7     ; reg, imm
          mul   r4, r3, fp+2  ; reg, fpo
          add   r5, r4, -1    ; negative and 0x.. immediates are reduced mod p
          deref r6, [r2 + 4]  ; load
          deref [r2 + 4], r6  ; store
          jump  r6, loop      ; f defaults to fp+0
          jump  1, r0, r1     ; computed target and frame (a return)
          halt                ; = jump 1, n, fp+0
        """

    func testSpecExampleAssemblesToTheDocumentedInstructions() throws {
        let program = try Assembler.assemble(specExample)
        XCTAssertEqual(program.memoryLog2, 16)
        XCTAssertEqual([program.storageCount, program.inputCount, program.outputCount], [1, 1, 1])
        XCTAssertEqual(program.instructions, [
            Instruction(.add, .reg, 3, .reg, 1, .imm, 7),
            Instruction(.mul, .reg, 4, .reg, 3, .fpo, 2),
            Instruction(.add, .reg, 5, .reg, 4, .imm, KoalaBear.p - 1),
            Instruction(.deref, .reg, 6, .reg, 2, .imm, 4),
            Instruction(.deref, .reg, 2, .imm, 4, .reg, 6, isStore: true),
            Instruction(.jump, .reg, 6, .imm, 0, .fpo, 0),
            Instruction(.jump, .imm, 1, .reg, 0, .reg, 1),
            Instruction(.jump, .imm, 1, .imm, 8, .fpo, 0),
        ])
    }

    func testDefaultsAndImmediates() throws {
        let program = try Assembler.assemble("""
            add r0, 0x10, -0x1
            add r1, 2130706433, 2130706434   ; p and p + 1 reduce to 0 and 1
            add r2, -2130706433, 99999999999999999999999
            mul r3, fp, fp + 5
            deref r4, [r5]
            deref [ r6 + later ], fp+1
            later: jump r7 , 0
            """)
        XCTAssertEqual(program.memoryLog2, 16)
        XCTAssertEqual([program.storageCount, program.inputCount, program.outputCount], [0, 0, 0])
        let expectedBig = UInt32(decimalReduced: "99999999999999999999999")
        XCTAssertEqual(program.instructions, [
            Instruction(.add, .reg, 0, .imm, 16, .imm, KoalaBear.p - 1),
            Instruction(.add, .reg, 1, .imm, 0, .imm, 1),
            Instruction(.add, .reg, 2, .imm, 0, .imm, expectedBig),
            Instruction(.mul, .reg, 3, .fpo, 0, .fpo, 5),
            Instruction(.deref, .reg, 4, .reg, 5, .imm, 0),
            Instruction(.deref, .reg, 6, .imm, 6, .fpo, 1, isStore: true),
            Instruction(.jump, .reg, 7, .imm, 0, .fpo, 0),
        ])
    }

    private func expectError(_ source: String, line: Int, column: Int, containing text: String,
                             file: StaticString = #filePath, testLine: UInt = #line) {
        XCTAssertThrowsError(try Assembler.assemble(source), file: file, line: testLine) { error in
            guard let error = error as? AssemblyError else { return XCTFail("\(error)", file: file, line: testLine) }
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: testLine)
            XCTAssertEqual(error.column, column, "\(error)", file: file, line: testLine)
            XCTAssertTrue(error.message.contains(text), "\(error)", file: file, line: testLine)
        }
    }

    func testErrorsNameLineAndColumn() {
        expectError("add r1, r2, r3\n  sub r1, r2, r3", line: 2, column: 3, containing: "unknown mnemonic 'sub'")
        expectError("add r1, r2", line: 1, column: 1, containing: "takes 3 operands, got 2")
        expectError("add 5, r2, r3", line: 1, column: 5, containing: "must be a register")
        expectError("add r1, r2, [r3 + 1]", line: 1, column: 13, containing: "only allowed in deref")
        expectError("add r1, r2, q!", line: 1, column: 13, containing: "cannot read operand")
        expectError("add r1, , r3", line: 1, column: 9, containing: "missing operand")
        expectError("jump r1, nowhere", line: 1, column: 10, containing: "undefined label 'nowhere'")
        expectError("a:\nhalt\na: halt", line: 3, column: 1, containing: "already defined on line 1")
        expectError("halt\n.memory 8", line: 2, column: 1, containing: "after the first instruction")
        expectError(".memory 25", line: 1, column: 9, containing: ".memory must be 4...24")
        expectError(".memory 3", line: 1, column: 9, containing: ".memory must be 4...24")
        expectError(".storage x", line: 1, column: 10, containing: "decimal count")
        expectError(".inputs 1\n.inputs 2", line: 2, column: 1, containing: "already given")
        expectError(".memory 4\n.storage 10\n.outputs 7", line: 3, column: 1, containing: "exceeds the 16 memory cells")
        expectError(".stack 4", line: 1, column: 1, containing: "unknown directive")
        expectError("jump 1, 5", line: 1, column: 9, containing: "past the end")
        expectError("jump fp, 0", line: 1, column: 6, containing: "must be")
        expectError("jump 1, 0, 7", line: 1, column: 12, containing: "must be")
        expectError("deref r1, r2", line: 1, column: 11, containing: "memory operand")
        expectError("deref r1, [4 + 1]", line: 1, column: 11, containing: "must start with a register")
        expectError("deref r1, [r2 + r3]", line: 1, column: 11, containing: "must be an integer or a label")
        expectError("deref r1, [r2 + 1", line: 1, column: 11, containing: "unclosed")
        expectError("add r2147483648, 1, 1", line: 1, column: 5, containing: "not below p")
        expectError("halt 1", line: 1, column: 1, containing: "takes 0 operands")
        expectError("r1: halt", line: 1, column: 1, containing: "cannot be a label")
    }

    func testLabelsResolveForwardAndBackward() throws {
        let program = try Assembler.assemble("""
            start: jump 1, end      ; forward
            middle:
            jump 1, start           ; backward
            end:
            """)
        XCTAssertEqual(program.instructions.map(\.o2), [2, 0])
    }

    func testDisassemblyReassemblesToIdenticalBytes() throws {
        var rng = SplitMix64(seed: 11)
        for index in 0..<3_000 {
            let program = RandomProgram.make(using: &rng)
            let text = Disassembler.disassemble(program)
            let again = try Assembler.assemble(text)
            XCTAssertEqual(again.encoded(), program.encoded(), "program \(index):\n\(text)")
        }
    }

    func testExampleProgramsRoundTrip() throws {
        for name in ["fibonacci", "call", "inverse", "prefix_sums", "toy_hash"] {
            let program = try Assembler.assemble(try RepositoryPaths.programSource(name))
            let again = try Assembler.assemble(Disassembler.disassemble(program))
            XCTAssertEqual(again.encoded(), program.encoded(), name)
        }
    }

    func testHostileTextIsRejectedNotCrashed() {
        var rng = SplitMix64(seed: 5)
        let alphabet = Array("addmuljumpderefhalt r0123456789fp+[],:;.-x\n\t".utf8) + [0, 0xff, 0xc3]
        for _ in 0..<3_000 {
            let length = Int.random(in: 0..<60, using: &rng)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
            _ = try? Assembler.assemble(String(decoding: bytes, as: UTF8.self))
        }
    }
}

private extension UInt32 {
    /// A decimal string reduced mod p, computed independently of the assembler.
    init(decimalReduced text: String) {
        var value: UInt64 = 0
        for digit in text.utf8 { value = (value * 10 + UInt64(digit - 48)) % UInt64(KoalaBear.p) }
        self = UInt32(value)
    }
}
