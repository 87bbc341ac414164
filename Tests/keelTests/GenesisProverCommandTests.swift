import Foundation
import KeelCrypto
import KeelNode
import KeelTestSupport
import XCTest

/// `keel genesis --prover-key` and `--no-prover`: the prover the written file names, and their
/// usage errors (exit status 2, one line).
final class GenesisProverCommandTests: XCTestCase {
    private var directory: URL!
    private static let otherProver = SecretKey(seed: SHA256.hash(Array("another prover".utf8))).publicKey

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-genesis-prover-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes a small genesis with `extra` options and loads it back.
    private func genesis(_ name: String, _ extra: String...) throws -> GenesisFile {
        let output = path(name)
        let outcome = try CommandRunner.run(
            "keel",
            ["genesis", "--validators", "2", "--genesis-time-ms", "0", "--randao-chain-length", "4", "--programs",
             RepositoryPaths.programs, "-o", output] + extra)
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        return try GenesisFile.load(path: output)
    }

    private func expectUsageError(_ extra: [String], containing text: String, line: UInt = #line) throws {
        let outcome = try CommandRunner.run("keel", ["genesis", "--validators", "2", "-o", path("bad.json")] + extra)
        XCTAssertEqual(outcome.status, 2, outcome.standardError, line: line)
        XCTAssertEqual(outcome.standardOutput, "", line: line)
        XCTAssertEqual(outcome.standardError.split(separator: "\n").count, 1, outcome.standardError, line: line)
        XCTAssertTrue(outcome.standardError.contains(text), outcome.standardError, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad.json")), line: line)
    }

    func testTheProverIsTheDevnetKeyByDefaultAnotherOrNone() throws {
        let devnet = try genesis("devnet.json")
        XCTAssertEqual(devnet.proverKey, DevnetKeys.proverSecretKey.publicKey)
        let other = try genesis("other.json", "--prover-key", Self.otherProver.hex)
        XCTAssertEqual(other.proverKey, Self.otherProver)
        let prefixed = try genesis("prefixed.json", "--prover-key", "0x" + Self.otherProver.hex.uppercased())
        XCTAssertEqual(prefixed, other)
        let none = try genesis("none.json", "--no-prover")
        XCTAssertNil(none.proverKey)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("none.json"))))
        XCTAssertNil((object as? [String: Any])?["prover_key"])
        XCTAssertEqual(Set([devnet.genesisRoot, other.genesisRoot, none.genesisRoot]).count, 3)
        var expected = devnet
        expected.proverKey = Self.otherProver
        XCTAssertEqual(other, expected, "only the prover differs")
    }

    func testBadProverOptionsAreUsageErrors() throws {
        try expectUsageError(["--prover-key", "xyz"], containing: "--prover-key: xyz is not hex")
        try expectUsageError(["--prover-key", "abcd"], containing: "--prover-key: expected 32 bytes of hex, got 2")
        try expectUsageError(
            ["--prover-key", String(repeating: "00", count: 32)], containing: "is not a valid secp256k1 x-only public key")
        try expectUsageError(
            ["--prover-key", Self.otherProver.hex, "--no-prover"], containing: "--prover-key and --no-prover: give at most one")
    }

    func testHelpDocumentsTheProverOptions() throws {
        let outcome = try CommandRunner.run("keel", ["genesis", "--help"])
        XCTAssertEqual(outcome.status, 0)
        for text in ["--prover-key", "--no-prover", "devnet prover"] {
            XCTAssertTrue(outcome.standardOutput.contains(text), text)
        }
    }
}
