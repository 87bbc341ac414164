import Foundation
import KeelChain
import KeelCrypto
@testable import KeelNode
import XCTest

/// The genesis file's `prover_key`: written and read as hex, optional, checked like a
/// validator's public key, and named by every devnet file.
final class GenesisFileProverKeyTests: XCTestCase {
    private static let otherProver = SecretKey(seed: SHA256.hash(Array("another prover".utf8))).publicKey

    private func object(_ file: GenesisFile) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: file.encodedJSON()) as? [String: Any])
    }

    func testDevnetFileNamesTheDevnetProver() throws {
        let file = try GenesisFixtures.smallDevnet()
        XCTAssertEqual(file.proverKey, DevnetKeys.proverSecretKey.publicKey)
        XCTAssertEqual(file.config.proverKey, DevnetKeys.proverSecretKey.publicKey)
        XCTAssertEqual(try object(file)["prover_key"] as? String, DevnetKeys.proverSecretKey.publicKey.hex)
    }

    func testCommittedDevnetFileNamesTheDevnetProver() throws {
        let file = try GenesisFile.load(path: GenesisFixtures.committedDevnetPath)
        XCTAssertEqual(file.proverKey, DevnetKeys.proverSecretKey.publicKey)
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: GenesisFixtures.committedDevnetPath)))
                as? [String: Any])
        XCTAssertEqual(object["prover_key"] as? String, DevnetKeys.proverSecretKey.publicKey.hex)
    }

    func testDevnetFileCanNameAnotherProverOrNone() throws {
        for prover in [Self.otherProver, nil] {
            let file = GenesisFile.devnet(
                validatorCount: 2, stake: Preset.devnet.maxEffectiveStake, slotMs: 1000, preset: .devnet,
                genesisTimeMs: 5, randaoChainLength: 3, programs: [], proverKey: prover)
            XCTAssertEqual(file.proverKey, prover)
            let expected = DevnetGenesis.config(
                validatorCount: 2, genesisTimeMs: 5, stake: Preset.devnet.maxEffectiveStake, randaoChainLength: 3,
                proverKey: prover)
            XCTAssertEqual(file.config, expected)
            try file.validate()
        }
    }

    func testTheKeyRoundTripsThroughJSON() throws {
        var file = try GenesisFixtures.smallDevnet()
        file.proverKey = Self.otherProver
        let json = file.encodedJSON()
        XCTAssertEqual(try object(file)["prover_key"] as? String, Self.otherProver.hex)
        let loaded = try GenesisFile.decode(json: json)
        XCTAssertEqual(loaded.proverKey, Self.otherProver)
        XCTAssertEqual(loaded, file)
        XCTAssertEqual(loaded.config.genesisRoot, file.genesisRoot)
        XCTAssertEqual(loaded.encodedJSON(), json)
        let rebuilt = GenesisFile(
            config: loaded.config, slotMs: loaded.slotMs, randaoChainLength: loaded.randaoChainLength,
            programNames: loaded.programNames)
        XCTAssertEqual(rebuilt, file, "file -> config -> file keeps the prover")
    }

    /// No prover: the writer omits the field, and the reader takes an absent field or `null`.
    func testNoProverIsAnAbsentFieldOrNull() throws {
        var file = try GenesisFixtures.smallDevnet()
        file.proverKey = nil
        var object = try object(file)
        XCTAssertNil(object["prover_key"], "the writer omits prover_key for no prover")
        XCTAssertEqual(object["genesis_root"] as? String, file.config.genesisRoot.hex)
        let loaded = try GenesisFile.decode(json: file.encodedJSON())
        XCTAssertNil(loaded.proverKey)
        XCTAssertEqual(loaded, file)
        object["prover_key"] = NSNull()
        XCTAssertEqual(try GenesisFile.decode(json: GenesisFixtures.data(object)), file)
    }

    func testTheGenesisRootChangesWithTheProver() throws {
        let devnet = try GenesisFixtures.smallDevnet()
        var other = devnet
        other.proverKey = Self.otherProver
        var none = devnet
        none.proverKey = nil
        XCTAssertEqual(Set([devnet.genesisRoot, other.genesisRoot, none.genesisRoot]).count, 3)
        XCTAssertEqual(try object(other)["genesis_root"] as? String, other.genesisRoot.hex)
    }

    /// Changing or removing the prover without regenerating `genesis_root` is caught.
    func testChangingTheProverWithoutTheRootIsRejected() throws {
        var other = try GenesisFixtures.smallDevnet()
        other.proverKey = Self.otherProver
        try assertRejected(field: "genesis_root", reason: .genesisRootMismatch(computed: other.genesisRoot)) {
            $0["prover_key"] = Self.otherProver.hex
        }
        var none = try GenesisFixtures.smallDevnet()
        none.proverKey = nil
        try assertRejected(field: "genesis_root", reason: .genesisRootMismatch(computed: none.genesisRoot)) {
            $0["prover_key"] = nil
        }
    }

    func testBadProverKeyIsRejectedNamingTheField() throws {
        try assertRejected(field: "prover_key", reason: .notHex) { $0["prover_key"] = String(repeating: "zz", count: 32) }
        try assertRejected(field: "prover_key", reason: .notHex) { $0["prover_key"] = String(repeating: "a", count: 63) }
        try assertRejected(field: "prover_key", reason: .wrongByteCount(expected: 32, actual: 31)) {
            $0["prover_key"] = String(repeating: "ab", count: 31)
        }
        try assertRejected(field: "prover_key", reason: .wrongByteCount(expected: 32, actual: 0)) { $0["prover_key"] = "" }
        // BIP-340 vectors 5 (x not on the curve) and 14 (x not below the field size), and zero.
        for key in [
            "eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34",
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30",
            String(repeating: "00", count: 32),
        ] {
            try assertRejected(field: "prover_key", reason: .invalidPublicKey) { $0["prover_key"] = key }
        }
        try assertRejected(field: "prover_key", reason: .wrongType(expected: "a string")) { $0["prover_key"] = 7 }
    }

    func testProverKeyErrorMessageNamesTheField() throws {
        var object = try GenesisFixtures.smallDevnetObject()
        object["prover_key"] = String(repeating: "00", count: 32)
        XCTAssertThrowsError(try GenesisFile.decode(json: GenesisFixtures.data(object))) { error in
            XCTAssertEqual(
                (error as? GenesisFileError)?.description, "prover_key: not a valid secp256k1 x-only public key")
        }
    }

    func testDecodeAcceptsPrefixedUppercaseProverKey() throws {
        var object = try GenesisFixtures.smallDevnetObject()
        object["prover_key"] = "0x" + DevnetKeys.proverSecretKey.publicKey.hex.uppercased()
        XCTAssertEqual(try GenesisFile.decode(json: GenesisFixtures.data(object)), try GenesisFixtures.smallDevnet())
    }
}
