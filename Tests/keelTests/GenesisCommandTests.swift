import Foundation
import KeelTestSupport
import XCTest

/// `keel genesis` through the built binary: the file it writes, the committed devnet file, and
/// usage errors (exit status 2, one line).
final class GenesisCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-genesis-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func keel(_ arguments: String...) throws -> CommandRunner.Outcome {
        try CommandRunner.run("keel", arguments)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func jsonObject(at path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    private func expectUsageError(_ outcome: CommandRunner.Outcome, containing text: String, line: UInt = #line) {
        XCTAssertEqual(outcome.status, 2, outcome.standardError, line: line)
        XCTAssertEqual(outcome.standardOutput, "", line: line)
        let lines = outcome.standardError.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on standard error: \(outcome.standardError)", line: line)
        XCTAssertTrue(outcome.standardError.contains(text), outcome.standardError, line: line)
    }

    func testWritesTheFileWithEveryOptionAndPrintsOneSummaryLine() throws {
        let output = path("genesis.json")
        let outcome = try keel(
            "genesis", "--validators", "3", "--stake", "40", "--slot-ms", "500", "--slots-per-epoch", "4",
            "--genesis-time-ms", "1700000000000", "--randao-chain-length", "8", "--programs", RepositoryPaths.programs,
            "-o", output)
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertEqual(outcome.standardError, "")
        let object = try jsonObject(at: output)
        let root = try XCTUnwrap(object["genesis_root"] as? String)
        XCTAssertEqual(outcome.standardOutput, "wrote \(output): 3 validators, 5 programs, genesis root \(root)\n")
        XCTAssertEqual(object["version"] as? Int, 1)
        XCTAssertEqual(object["slot_ms"] as? Int, 500)
        XCTAssertEqual(object["genesis_time_ms"] as? UInt64, 1_700_000_000_000)
        XCTAssertEqual(object["randao_chain_length"] as? Int, 8)
        XCTAssertEqual((object["preset"] as? [String: Any])?["slots_per_epoch"] as? Int, 4)
        let validators = try XCTUnwrap(object["validators"] as? [[String: Any]])
        XCTAssertEqual(validators.map { $0["index"] as? Int }, [0, 1, 2])
        XCTAssertEqual(validators.map { $0["stake"] as? UInt64 }, Array(repeating: 40_000_000_000, count: 3))
        let programs = try XCTUnwrap(object["programs"] as? [[String: Any]])
        XCTAssertEqual(programs.map { $0["name"] as? String }, ["call", "fibonacci", "inverse", "prefix_sums", "toy_hash"])
    }

    /// The committed devnet file is exactly what its documented command writes.
    func testRegeneratesTheCommittedDevnetFileByteForByte() throws {
        let output = path("devnet.json")
        let outcome = try keel(
            "genesis", "--validators", "4", "--genesis-time-ms", "0", "--programs", RepositoryPaths.programs, "-o", output)
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        let committed = try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.root + "/Genesis/devnet.json"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), committed, "Genesis/devnet.json is stale")
    }

    func testDefaultsAreNowAndGenesisProgramsAndAMissingDefaultIsANote() throws {
        let output = path("defaults.json")
        let before = UInt64(Date().timeIntervalSince1970 * 1000)
        let outcome = try CommandRunner.run("keel", ["genesis", "--validators", "2", "-o", output], workingDirectory: directory)
        let after = UInt64(Date().timeIntervalSince1970 * 1000)
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardError.hasPrefix("keel: note: no Genesis/programs directory here"), outcome.standardError)
        let object = try jsonObject(at: output)
        XCTAssertEqual((object["programs"] as? [Any])?.count, 0)
        let time = try XCTUnwrap(object["genesis_time_ms"] as? UInt64)
        XCTAssertTrue((before...after).contains(time), "\(time) not in \(before)...\(after)")
        XCTAssertEqual(object["slot_ms"] as? Int, 1000)
        XCTAssertEqual(object["randao_chain_length"] as? Int, 65_536)
        XCTAssertEqual((object["preset"] as? [String: Any])?["slots_per_epoch"] as? Int, 8)
        XCTAssertEqual((object["validators"] as? [[String: Any]])?.first?["stake"] as? UInt64, 32_000_000_000)

        let fromRoot = try CommandRunner.run("keel", ["genesis", "--validators", "1", "-o", path("root.json")], workingDirectory: URL(fileURLWithPath: RepositoryPaths.root))
        XCTAssertEqual(fromRoot.status, 0, fromRoot.standardError)
        XCTAssertEqual(fromRoot.standardError, "")
        XCTAssertEqual((try jsonObject(at: path("root.json"))["programs"] as? [Any])?.count, 5)
    }

    func testUsageErrorsExitTwoWithOneLine() throws {
        let output = path("bad.json")
        let programs = RepositoryPaths.programs
        expectUsageError(try keel("genesis", "--validators", "0", "-o", output), containing: "--validators: 0 is not in 1...100000")
        expectUsageError(try keel("genesis", "--validators", "100001", "-o", output), containing: "--validators")
        expectUsageError(try keel("genesis", "--validators", "many", "-o", output), containing: "many")
        expectUsageError(try keel("genesis", "--validators", "4", "--stake", "0", "-o", output), containing: "--stake: 0 is below 32")
        expectUsageError(try keel("genesis", "--validators", "4", "--stake", "31", "-o", output), containing: "--stake")
        expectUsageError(
            try keel("genesis", "--validators", "4", "--stake", "18446744073709551615", "-o", output), containing: "64 bits")
        expectUsageError(try keel("genesis", "--validators", "4", "--slot-ms", "9", "-o", output), containing: "--slot-ms: 9")
        expectUsageError(
            try keel("genesis", "--validators", "4", "--slots-per-epoch", "0", "-o", output), containing: "--slots-per-epoch: 0")
        expectUsageError(
            try keel("genesis", "--validators", "4", "--randao-chain-length", "0", "-o", output),
            containing: "--randao-chain-length: 0")
        expectUsageError(
            try keel("genesis", "--validators", "4", "--randao-chain-length", "16777217", "-o", output),
            containing: "--randao-chain-length")
        expectUsageError(
            try keel("genesis", "--validators", "4", "--genesis-time-ms", "-5", "-o", output), containing: "genesis-time-ms")
        expectUsageError(try keel("genesis", "--validators", "4"), containing: "--output")
        expectUsageError(try keel("genesis", "-o", output), containing: "--validators")
        expectUsageError(try keel("genesis", "--validators", "4", "--bogus", "-o", output), containing: "bogus")
        expectUsageError(
            try keel("genesis", "--validators", "4", "--programs", path("nope"), "-o", output), containing: "no such directory")
        let broken = directory.appendingPathComponent("broken")
        try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
        try "  jmp r1, 0\n".write(to: broken.appendingPathComponent("x.kasm"), atomically: true, encoding: .utf8)
        expectUsageError(
            try keel("genesis", "--validators", "4", "--programs", broken.path, "-o", output),
            containing: "x.kasm: line 1, column 3: unknown mnemonic 'jmp'")
        expectUsageError(
            try keel("genesis", "--validators", "1", "--programs", programs, "-o", path("no/dir/out.json")),
            containing: "cannot write: No such file or directory")
        XCTAssertFalse(FileManager.default.fileExists(atPath: output))
    }

    func testHelpDocumentsEveryOptionAndTheCost() throws {
        let outcome = try keel("genesis", "--help")
        XCTAssertEqual(outcome.status, 0)
        for option in ["--validators", "--stake", "--slot-ms", "--slots-per-epoch", "--genesis-time-ms",
                       "--randao-chain-length", "--programs", "--output", "Genesis/README.md", "150 ns"] {
            XCTAssertTrue(outcome.standardOutput.contains(option), option)
        }
    }
}
