import Foundation
import KeelChain
import KeelCrypto
import KeelNode
import KeelTestSupport
import XCTest

/// `keel node --prover`: refused, with one line and exit status 2, when the genesis names
/// another prover or none, and when the prover key file is unusable.
final class NodeProverCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-node-prover-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// A 4-validator genesis file naming `proverKey`.
    private func genesis(proverKey: PublicKey?) throws -> String {
        let file = GenesisFile.devnet(
            validatorCount: 4, stake: Stake(32 * Preset.devnet.stakeUnit), slotMs: 250, preset: .devnet,
            genesisTimeMs: SlotClock.systemNowMs() + 60_000, randaoChainLength: 16, programs: [], proverKey: proverKey)
        let path = directory.appendingPathComponent("genesis-\(UUID().uuidString).json").path
        try file.write(path: path)
        return path
    }

    private func node(_ genesis: String, _ extra: [String]) throws -> CommandRunner.Outcome {
        try CommandRunner.run(
            "keel",
            ["node", "--genesis", genesis, "--data-dir", directory.appendingPathComponent("data").path, "--listen", "127.0.0.1:0"]
                + extra)
    }

    private func assertUsageError(_ outcome: CommandRunner.Outcome, containing fragment: String, line: UInt = #line) {
        XCTAssertEqual(outcome.status, 2, outcome.standardError, line: line)
        XCTAssertTrue(outcome.standardError.contains(fragment), outcome.standardError, line: line)
        XCTAssertEqual(outcome.standardError.split(separator: "\n").count, 1, "one line: \(outcome.standardError)", line: line)
    }

    func testProverIsRefusedWhenTheGenesisNamesAnotherProverKey() throws {
        let other = DevnetKeys.secretKey(validatorIndex: 7).publicKey
        let genesis = try genesis(proverKey: other)
        let outcome = try node(genesis, ["--prover"])
        assertUsageError(outcome, containing: "--prover: cannot prove with the devnet prover key")
        XCTAssertTrue(outcome.standardError.contains("names prover key \(other.hex)"), outcome.standardError)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("data").path), "refused before any write")

        // A key file holding another key than the one genesis names is refused the same way.
        let keyFile = directory.appendingPathComponent("prover.json")
        let wrong = String(repeating: "22", count: 32)
        try Data(#"{"prover_secret_key": "\#(wrong)"}"#.utf8).write(to: keyFile)
        assertUsageError(
            try node(genesis, ["--prover", "--prover-key-file", keyFile.path]), containing: "--prover: cannot prove with \(keyFile.path)")
    }

    func testProverIsRefusedWhenTheGenesisNamesNoProver() throws {
        assertUsageError(try node(try genesis(proverKey: nil), ["--prover"]), containing: "names no prover")
    }

    func testAnUnusableProverKeyFileIsAUsageError() throws {
        let genesis = try genesis(proverKey: DevnetKeys.proverSecretKey.publicKey)
        let keyFile = directory.appendingPathComponent("prover.json")
        try Data(#"{"prover_secret_key": "nothex"}"#.utf8).write(to: keyFile)
        assertUsageError(
            try node(genesis, ["--prover", "--prover-key-file", keyFile.path]),
            containing: "--prover-key-file: \(keyFile.path): prover_secret_key: not hex")
        try Data(#"{"secret": "00"}"#.utf8).write(to: keyFile)
        assertUsageError(
            try node(genesis, ["--prover", "--prover-key-file", keyFile.path]), containing: #"missing field "prover_secret_key""#)
        assertUsageError(
            try node(genesis, ["--prover", "--prover-key-file", directory.appendingPathComponent("missing.json").path]),
            containing: "cannot read")
        assertUsageError(try node(genesis, ["--prover-key-file", keyFile.path]), containing: "--prover-key-file needs --prover")
    }
}
