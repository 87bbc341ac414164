import Foundation
import KeelTestSupport
import XCTest

/// `keel validator slashing-protection export | import` through the built binary: EIP-3076
/// interchange files in and out of `DIR/slashing-protection.sqlite`, usage errors exit 2 with one line.
final class SlashingProtectionCommandTests: XCTestCase {
    private var directory: URL!
    private let key = "0x" + String(repeating: "0", count: 63) + "1"  // x = 1 is on secp256k1

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-slashing-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func keel(_ arguments: String...) throws -> CommandRunner.Outcome {
        try CommandRunner.run("keel", arguments)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func expectUsageError(_ outcome: CommandRunner.Outcome, containing text: String, line: UInt = #line) {
        XCTAssertEqual(outcome.status, 2, outcome.standardError, line: line)
        XCTAssertEqual(outcome.standardOutput, "", line: line)
        let lines = outcome.standardError.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on standard error: \(outcome.standardError)", line: line)
        XCTAssertTrue(outcome.standardError.contains(text), outcome.standardError, line: line)
    }

    /// Writes a small genesis file and returns its genesis root (with 0x).
    private func genesis(_ name: String, validators: Int) throws -> String {
        let programs = path("no-programs")
        try FileManager.default.createDirectory(atPath: programs, withIntermediateDirectories: true)
        let outcome = try keel(
            "genesis", "--validators", "\(validators)", "--genesis-time-ms", "0", "--randao-chain-length", "4",
            "--programs", programs, "-o", path(name))
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(name)))) as? [String: Any])
        let root = try XCTUnwrap(object["genesis_root"] as? String)
        return root.hasPrefix("0x") ? root : "0x" + root
    }

    private func interchange(genesisRoot: String, pubkey: String? = nil) -> String {
        """
        {"metadata": {"interchange_format_version": "5", "genesis_validators_root": "\(genesisRoot)"},
         "data": [{"pubkey": "\(pubkey ?? key)",
                   "signed_blocks": [{"slot": "81952", "signing_root": "0x\(String(repeating: "ab", count: 32))"}, {"slot": "81953"}],
                   "signed_attestations": [{"source_epoch": "2290", "target_epoch": "3007", "signing_root": "0x\(String(repeating: "cd", count: 32))"},
                                           {"source_epoch": "2290", "target_epoch": "3008"}]}]}
        """
    }

    private func records(_ file: String) throws -> [String: Any] {
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        return try XCTUnwrap((object["data"] as? [[String: Any]])?.first)
    }

    func testImportThenExportRoundTripsTheRecords() throws {
        let root = try genesis("genesis.json", validators: 1)
        let input = path("in.json")
        try interchange(genesisRoot: root).write(toFile: input, atomically: true, encoding: .utf8)
        let dataDir = path("data/node0")
        let imported = try keel("validator", "slashing-protection", "import", input, "--data-dir", dataDir, "--genesis", path("genesis.json"))
        XCTAssertEqual(imported.status, 0, imported.standardError)
        XCTAssertEqual(imported.standardOutput, "imported \(input): 1 validators, 2 blocks and 2 attestations added\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dataDir + "/slashing-protection.sqlite"))

        let again = try keel("validator", "slashing-protection", "import", input, "--data-dir", dataDir, "--genesis", path("genesis.json"))
        XCTAssertEqual(again.standardOutput, "imported \(input): 1 validators, 0 blocks and 0 attestations added\n")

        let output = path("out.json")
        let exported = try keel("validator", "slashing-protection", "export", output, "--data-dir", dataDir, "--genesis", path("genesis.json"))
        XCTAssertEqual(exported.status, 0, exported.standardError)
        XCTAssertEqual(exported.standardOutput, "exported 1 validators (2 blocks, 2 attestations) to \(output)\n")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        let metadata = try XCTUnwrap(object["metadata"] as? [String: String])
        XCTAssertEqual(metadata, ["interchange_format_version": "5", "genesis_validators_root": root])
        let entry = try records(output)
        XCTAssertEqual(entry["pubkey"] as? String, key)
        XCTAssertEqual((entry["signed_blocks"] as? [[String: String]])?.map { $0["slot"] }, ["81952", "81953"])
        XCTAssertEqual((entry["signed_blocks"] as? [[String: String]])?.last?["signing_root"], nil)
        XCTAssertEqual((entry["signed_attestations"] as? [[String: String]])?.map { $0["target_epoch"] }, ["3007", "3008"])
        XCTAssertEqual(try records(output) as NSDictionary, try records(input) as NSDictionary)
    }

    func testAnotherChainsFileIsRefusedAndNothingIsCreated() throws {
        _ = try genesis("genesis.json", validators: 1)
        let otherRoot = try genesis("other.json", validators: 2)
        let input = path("other-chain.json")
        try interchange(genesisRoot: otherRoot).write(toFile: input, atomically: true, encoding: .utf8)
        let dataDir = path("data")
        let outcome = try keel("validator", "slashing-protection", "import", input, "--data-dir", dataDir, "--genesis", path("genesis.json"))
        expectUsageError(outcome, containing: "genesis_validators_root")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dataDir + "/slashing-protection.sqlite"))
    }

    func testMalformedFilesAndBadArgumentsAreOneLineUsageErrors() throws {
        let root = try genesis("genesis.json", validators: 1)
        let genesisPath = path("genesis.json")
        let bls = path("bls.json")
        try interchange(genesisRoot: root, pubkey: "0x" + String(repeating: "ab", count: 48)).write(toFile: bls, atomically: true, encoding: .utf8)
        expectUsageError(
            try keel("validator", "slashing-protection", "import", bls, "--data-dir", path("d"), "--genesis", genesisPath),
            containing: "data[0].pubkey: a 48-byte BLS public key")
        let version = path("v4.json")
        try interchange(genesisRoot: root).replacingOccurrences(of: "\"5\"", with: "\"4\"").write(toFile: version, atomically: true, encoding: .utf8)
        expectUsageError(
            try keel("validator", "slashing-protection", "import", version, "--data-dir", path("d"), "--genesis", genesisPath),
            containing: "unsupported interchange_format_version")
        expectUsageError(
            try keel("validator", "slashing-protection", "import", path("missing.json"), "--data-dir", path("d"), "--genesis", genesisPath),
            containing: "cannot read")
        expectUsageError(
            try keel("validator", "slashing-protection", "export", path("x.json"), "--data-dir", path("empty"), "--genesis", genesisPath),
            containing: "no slashing protection database")
        expectUsageError(
            try keel("validator", "slashing-protection", "export", path("x.json"), "--data-dir", path("d"), "--genesis", path("nope.json")),
            containing: "--genesis:")
        expectUsageError(try keel("validator", "slashing-protection", "export", path("x.json"), "--data-dir", path("d")), containing: "--genesis")
        expectUsageError(try keel("validator", "slashing-protection", "export"), containing: "file")
    }

    func testEveryOptionHasHelp() throws {
        for subcommand in ["export", "import"] {
            let outcome = try keel("validator", "slashing-protection", subcommand, "--help")
            XCTAssertEqual(outcome.status, 0)
            XCTAssertTrue(outcome.standardOutput.contains("--data-dir <data-dir>"), outcome.standardOutput)
            XCTAssertTrue(outcome.standardOutput.contains("slashing-protection.sqlite"), outcome.standardOutput)
            XCTAssertTrue(outcome.standardOutput.contains("genesis_validators_root"), outcome.standardOutput)
            XCTAssertTrue(outcome.standardOutput.contains("interchange file"), outcome.standardOutput)
        }
        let group = try keel("validator", "slashing-protection", "--help")
        XCTAssertTrue(group.standardOutput.contains("EIP-3076"), group.standardOutput)
    }
}
