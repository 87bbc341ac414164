import Foundation
import KeelChain
import KeelCrypto
import KeelNode
import KeelTestSupport
import XCTest

/// `keel validator devnet-keys`: writes the devnet keys of the asked indices, checked against a
/// genesis when given one.
final class ValidatorDevnetKeysCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func makeGenesis(validators: Int) throws -> String {
        let outcome = try CommandRunner.run(
            "keel",
            ["genesis", "--validators", "\(validators)", "--genesis-time-ms", "0", "--randao-chain-length", "16",
             "--programs", directory.path, "-o", path("genesis.json")])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        return path("genesis.json")
    }

    func testWritesTheDevnetKeysOfRangesAndListsAndTheyMatchTheGenesis() throws {
        let genesis = try makeGenesis(validators: 6)
        let outcome = try CommandRunner.run(
            "keel", ["validator", "devnet-keys", "--indices", "1-3,5", "--genesis", genesis, "-o", path("keys.json")])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        let file = try ValidatorKeysFile.load(path: path("keys.json"))
        XCTAssertEqual(file.entries.map(\.index.rawValue), [1, 2, 3, 5])
        for entry in file.entries {
            XCTAssertEqual(entry.secretKey.bytes, DevnetKeys.secretKey(validatorIndex: entry.index.rawValue).bytes)
        }
        XCTAssertNoThrow(try file.validate(against: GenesisFile.load(path: genesis)))
        let mode = try FileManager.default.attributesOfItem(atPath: path("keys.json"))[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "keys are secret")
    }

    func testRefusesIndicesOutsideTheGenesisAndMalformedLists() throws {
        let genesis = try makeGenesis(validators: 4)
        let outside = try CommandRunner.run(
            "keel", ["validator", "devnet-keys", "--indices", "3-4", "--genesis", genesis, "-o", path("keys.json")])
        XCTAssertEqual(outside.status, 2)
        XCTAssertTrue(outside.standardError.contains("not a validator of this genesis"), outside.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("keys.json")), "nothing is written on error")
        for bad in ["3-1", "1,,2", "x", "1,1", "0-"] {
            let outcome = try CommandRunner.run("keel", ["validator", "devnet-keys", "--indices", bad, "-o", path("keys.json")])
            XCTAssertEqual(outcome.status, 2, "--indices \(bad)")
            XCTAssertTrue(outcome.standardError.hasPrefix("keel: error: --indices"), outcome.standardError)
        }
    }
}
