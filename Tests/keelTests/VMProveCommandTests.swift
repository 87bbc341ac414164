import Foundation
import KeelTestSupport
import XCTest

/// `keel vm prove` and `keel vm verify` through the built binary (spec/STARK.md §9.6).
final class VMProveCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-vm-prove-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func keel(_ arguments: String...) throws -> CommandRunner.Outcome { try CommandRunner.run("keel", arguments) }
    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    private func example(_ name: String) -> String { RepositoryPaths.programs + "/\(name).kasm" }

    func testEveryExampleProgramProvesAndVerifies() throws {
        for name in ["fibonacci", "call", "inverse", "prefix_sums", "toy_hash"] {
            let run = try keel("vm", "run", example(name), "--json")
            let proved = try keel("vm", "prove", example(name), "-o", path("\(name).proof"), "--json")
            XCTAssertEqual(proved.status, 0, proved.standardError)
            XCTAssertTrue(proved.standardOutput.contains(#""evidence":"stark""#), proved.standardOutput)
            XCTAssertTrue(proved.standardOutput.contains(run.standardOutput.trimmingCharacters(in: .newlines)), "the proven result is vm run's")
            let verified = try keel("vm", "verify", example(name), path("\(name).proof"), "--json")
            XCTAssertEqual(verified.status, 0, verified.standardOutput + verified.standardError)
            XCTAssertTrue(verified.standardOutput.hasPrefix(#"{"valid":true,"result":"#), verified.standardOutput)
            XCTAssertTrue(verified.standardOutput.contains(#""checked_by":"proven""#))
        }
    }

    func testTamperedOrMismatchedProofsExitOne() throws {
        let proofPath = path("fib.proof")
        XCTAssertEqual(try keel("vm", "prove", example("fibonacci"), "--input", "30", "-o", proofPath).status, 0)
        XCTAssertEqual(try keel("vm", "verify", example("fibonacci"), proofPath, "--input", "30").status, 0)
        let otherInput = try keel("vm", "verify", example("fibonacci"), proofPath, "--input", "31")
        XCTAssertEqual(otherInput.status, 1)
        XCTAssertTrue(otherInput.standardOutput.contains("invalid: invalid proof: the proof is for other input"), otherInput.standardOutput)
        let otherProgram = try keel("vm", "verify", example("toy_hash"), proofPath)
        XCTAssertEqual(otherProgram.status, 1)
        XCTAssertTrue(otherProgram.standardOutput.contains("another program"), otherProgram.standardOutput)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: proofPath)))
        let outputOffset = 4 + 1 + 32 + 8 + 4 + 4 + 4 + 1 + 8 + 4 + 4 + 4
        bytes[outputOffset] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path("forged-output.proof")))
        let forged = try keel("vm", "verify", example("fibonacci"), path("forged-output.proof"))
        XCTAssertEqual(forged.status, 1, forged.standardOutput)
        bytes[bytes.count - 40] ^= 0x10
        try Data(bytes.dropLast(3)).write(to: URL(fileURLWithPath: path("truncated.proof")))
        let truncated = try keel("vm", "verify", example("fibonacci"), path("truncated.proof"), "--json")
        XCTAssertEqual(truncated.status, 1)
        XCTAssertTrue(truncated.standardOutput.hasPrefix(#"{"valid":false,"reason":"malformed proof"#), truncated.standardOutput)
    }

    func testAFaultingRunIsMarkedForReexecutionAndChecked() throws {
        let source = path("fault.kasm")
        try ".memory 4\n    add r1, 2, 0\n    deref r2, [r1 + 30]\n".write(toFile: source, atomically: true, encoding: .utf8)
        let proved = try keel("vm", "prove", source, "-o", path("fault.proof"))
        XCTAssertEqual(proved.status, 0, proved.standardError)
        XCTAssertTrue(proved.standardOutput.contains("reexecute (the run ends in memory_out_of_bounds)"), proved.standardOutput)
        let verified = try keel("vm", "verify", source, path("fault.proof"))
        XCTAssertEqual(verified.status, 0)
        XCTAssertTrue(verified.standardOutput.hasPrefix("valid (re-executed"), verified.standardOutput)
    }

    func testUnusableInputExitsTwo() throws {
        XCTAssertEqual(try keel("vm", "verify", example("fibonacci"), path("missing.proof")).status, 2)
        XCTAssertEqual(try keel("vm", "prove", example("fibonacci"), "--input", "1,2", "-o", path("x.proof")).status, 2)
        XCTAssertEqual(try keel("vm", "prove", example("fibonacci")).status, 2, "-o is required")
    }
}
