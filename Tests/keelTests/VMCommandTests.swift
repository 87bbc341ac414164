import Foundation
import KeelTestSupport
import KeelVM
import XCTest

/// `keel vm asm | disasm | run` against spec/VM.md section 8, through the built binary.
final class VMCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-vm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func keel(_ arguments: String...) throws -> CommandRunner.Outcome {
        try CommandRunner.run("keel", arguments)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func example(_ name: String) -> String { RepositoryPaths.programs + "/\(name).kasm" }

    private func expectUsageError(_ outcome: CommandRunner.Outcome, containing text: String, line: UInt = #line) {
        XCTAssertEqual(outcome.status, 2, outcome.standardError, line: line)
        XCTAssertEqual(outcome.standardOutput, "", line: line)
        let lines = outcome.standardError.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on standard error: \(outcome.standardError)", line: line)
        XCTAssertTrue(outcome.standardError.contains(text), outcome.standardError, line: line)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testAssembleDisassembleRoundTripThroughFiles() throws {
        for name in ["fibonacci", "call", "inverse", "prefix_sums", "toy_hash"] {
            let first = path("\(name).kvm")
            let second = path("\(name)-again.kvm")
            let text = path("\(name).kasm")
            XCTAssertEqual(try keel("vm", "asm", example(name), "-o", first).status, 0)
            let listing = try keel("vm", "disasm", first)
            XCTAssertEqual(listing.status, 0)
            try listing.standardOutput.write(toFile: text, atomically: true, encoding: .utf8)
            XCTAssertEqual(try keel("vm", "asm", text, "-o", second).status, 0)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: first))
            XCTAssertEqual(bytes, try Data(contentsOf: URL(fileURLWithPath: second)), name)
            XCTAssertEqual(Array(bytes), try Assembler.assemble(try RepositoryPaths.programSource(name)).encoded())
        }
    }

    func testRunJSONMatchesTheLibraryAndTheSpecShape() throws {
        let outcome = try keel("vm", "run", example("prefix_sums"), "--input", "2," + (1...32).map(String.init).joined(separator: ","), "--json")
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        let line = outcome.standardOutput.trimmingCharacters(in: .newlines)
        XCTAssertTrue(line.hasPrefix(#"{"status":"halted","steps":"#), line)
        XCTAssertFalse(line.contains("\n"))
        let program = try Assembler.assemble(try RepositoryPaths.programSource("prefix_sums"))
        let expected = try Interpreter(program).run(storage: [], input: [2] + (1...32).map(UInt32.init), stepLimit: 100_000_000)
        let object = try json(line)
        XCTAssertEqual(object["steps"] as? Int, Int(expected.steps))
        XCTAssertEqual(object["pc"] as? Int, Int(expected.pc))
        XCTAssertEqual(object["output"] as? [Int], expected.output.map(Int.init))
        XCTAssertEqual(object["storage"] as? [Int], [])
    }

    func testStorageIsReadAndWritten() throws {
        let source = path("counter.kasm")
        try ".storage 2\n.outputs 1\nadd r0, r0, r1\nadd r2, r0, 0\n".write(toFile: source, atomically: true, encoding: .utf8)
        let outcome = try keel("vm", "run", source, "--storage", "40,2", "--json")
        XCTAssertEqual(outcome.standardOutput, #"{"status":"halted","steps":2,"pc":2,"output":[42],"storage":[42,2]}"# + "\n")
    }

    func testFaultsAreNormalResults() throws {
        let source = path("fault.kasm")
        try ".memory 4\nadd r1, 1, 0\nadd r16, 1, 0\n".write(toFile: source, atomically: true, encoding: .utf8)
        let outcome = try keel("vm", "run", source, "--json")
        XCTAssertEqual(outcome.status, 0)
        XCTAssertEqual(outcome.standardOutput, #"{"status":"fault","fault":"memory_out_of_bounds","steps":1,"pc":1}"# + "\n")

        let limited = try keel("vm", "run", example("fibonacci"), "--input", "1000", "--max-steps", "10", "--json")
        XCTAssertEqual(limited.standardOutput, #"{"status":"fault","fault":"step_limit","steps":10,"pc":"# + "\(try pcAfterTenSteps())}\n")
        let text = try keel("vm", "run", source)
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.standardOutput.contains("memory_out_of_bounds"))
    }

    private func pcAfterTenSteps() throws -> UInt32 {
        let program = try Assembler.assemble(try RepositoryPaths.programSource("fibonacci"))
        return try Interpreter(program).run(storage: [], input: [1000], stepLimit: 10).pc
    }

    func testUsageErrorsExitTwoWithOneLine() throws {
        expectUsageError(try keel("vm", "run", path("missing.kvm")), containing: "cannot read")
        let garbage = path("garbage.kvm")
        try Data("KEEX\u{1}".utf8).write(to: URL(fileURLWithPath: garbage))
        expectUsageError(try keel("vm", "run", garbage), containing: "shorter than the 24-byte header")
        try Data("KEEX".utf8 + [UInt8](repeating: 0, count: 20)).write(to: URL(fileURLWithPath: garbage))
        expectUsageError(try keel("vm", "run", garbage), containing: "bad magic")
        expectUsageError(try keel("vm", "disasm", garbage), containing: "bad magic")
        let broken = path("broken.kasm")
        try "add r1, r1, 1\n  jmp r1, 0\n".write(toFile: broken, atomically: true, encoding: .utf8)
        expectUsageError(try keel("vm", "asm", broken), containing: "line 2, column 3: unknown mnemonic 'jmp'")
        expectUsageError(try keel("vm", "run", broken), containing: "line 2, column 3")
        expectUsageError(try keel("vm", "run", example("call"), "--input", "1"), containing: "exactly 2 values, got 1")
        expectUsageError(try keel("vm", "run", example("call"), "--input", "1,2,3"), containing: "exactly 2 values, got 3")
        expectUsageError(try keel("vm", "run", example("call"), "--input", "1,2130706433"), containing: "not a decimal value")
        expectUsageError(try keel("vm", "run", example("call"), "--input", "1,x"), containing: "not a decimal value")
        expectUsageError(try keel("vm", "run", example("call"), "--storage", "1"), containing: "exactly 0 values, got 1")
        expectUsageError(try keel("vm", "run", example("call"), "--max-steps", "many"), containing: "many")
        expectUsageError(try keel("vm", "run", example("call"), "--bogus"), containing: "bogus")
        expectUsageError(try keel("vm", "run"), containing: "program")
    }

    func testHelpExitsZero() throws {
        let outcome = try keel("vm", "run", "--help")
        XCTAssertEqual(outcome.status, 0)
        XCTAssertTrue(outcome.standardOutput.contains("--max-steps"))
    }
}
