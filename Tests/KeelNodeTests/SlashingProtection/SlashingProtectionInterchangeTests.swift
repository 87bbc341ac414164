import Foundation
import KeelChain
import KeelConsensus
import KeelCrypto
@testable import KeelNode
import XCTest

/// EIP-3076 interchange (format version 5, 32-byte x-only keys): parsing and its rejections,
/// export, and import with the EIP's conservative semantics.
final class SlashingProtectionInterchangeTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private typealias Fixture = SlashingProtectionDatabaseTests
    private var genesisHex: String { "0x" + Fixture.genesisRoot.hex }
    private var keyHex: String { "0x" + Fixture.key.hex }

    override func setUpWithError() throws { directory = try TemporaryDirectory("keel-interchange") }
    override func tearDown() { directory = nil }

    private func database(_ name: String) throws -> SlashingProtectionDatabase {
        try SlashingProtectionDatabase.open(path: directory.path(name), genesisRoot: Fixture.genesisRoot)
    }

    private func file(data: String, version: String = "5", genesis: String? = nil) -> Data {
        Data("""
            {"metadata": {"interchange_format_version": "\(version)", "genesis_validators_root": "\(genesis ?? genesisHex)"},
             "data": \(data)}
            """.utf8)
    }

    private func parse(_ json: Data) throws -> SlashingProtectionInterchange {
        try SlashingProtectionInterchange.decode(json: json)
    }

    private func expectRejection(_ json: Data, field: String?, containing text: String, line: UInt = #line) {
        XCTAssertThrowsError(try parse(json), line: line) { error in
            guard let error = error as? InterchangeError else { return XCTFail("\(error)", line: line) }
            XCTAssertEqual(error.field, field, "\(error)", line: line)
            XCTAssertTrue(error.description.contains(text), error.description, line: line)
            XCTAssertFalse(error.description.contains("\n"), line: line)
        }
    }

    func testExportThenImportIntoAFreshDatabaseGivesTheSameDecisions() throws {
        let source = try database("source.sqlite")
        for slot in [Slot(3), 7, 9] { _ = try source.checkAndRecordBlock(publicKey: Fixture.key, slot: slot, signingRoot: Fixture.root(slot.rawValue)) }
        for (s, t) in [(Epoch(0), Epoch(1)), (1, 2), (2, 5)] {
            _ = try source.checkAndRecordAttestation(publicKey: Fixture.key, source: s, target: t, signingRoot: Fixture.root(t.rawValue))
        }
        _ = try source.checkAndRecordAttestation(publicKey: Fixture.otherKey, source: 4, target: 8, signingRoot: Fixture.root(8))
        let exported = try source.exportInterchange()
        let json = exported.encodedJSON()
        XCTAssertEqual(try parse(json), exported, "the JSON reads back as the value it was written from")
        XCTAssertEqual(exported.data.count, 2)

        let destination = try database("destination.sqlite")
        let summary = try destination.importInterchange(try parse(json))
        XCTAssertEqual(summary.blocksAdded, 3)
        XCTAssertEqual(summary.attestationsAdded, 4)
        XCTAssertEqual(try destination.exportInterchange(), exported)
        let probes: [(Epoch, Epoch, UInt64)] = [(2, 5, 5), (2, 5, 6), (1, 6, 0), (3, 4, 0), (0, 3, 0), (5, 6, 6), (4, 8, 8)]
        for (s, t, tag) in probes {
            for key in [Fixture.key, Fixture.otherKey] {
                let expected = try source.history(publicKey: key).checkAttestation(source: s, target: t, signingRoot: Fixture.root(tag))
                XCTAssertEqual(
                    try destination.checkAndRecordAttestation(publicKey: key, source: s, target: t, signingRoot: Fixture.root(tag)),
                    expected, "\(s) -> \(t)")
                _ = try source.checkAndRecordAttestation(publicKey: key, source: s, target: t, signingRoot: Fixture.root(tag))
            }
        }
        XCTAssertEqual(try destination.checkAndRecordBlock(publicKey: Fixture.key, slot: 9, signingRoot: Fixture.root(9)), .alreadySigned)
        XCTAssertEqual(
            try destination.checkAndRecordBlock(publicKey: Fixture.key, slot: 9, signingRoot: Fixture.root(1)), .refused(.doubleBlockProposal(slot: 9)))
        XCTAssertEqual(
            try destination.checkAndRecordBlock(publicKey: Fixture.key, slot: 8, signingRoot: Fixture.root(1)),
            .refused(.blockSlotNotAfterLatest(slot: 8, latest: 9)))
    }

    func testImportRefusesDoubleBlocksDoubleVotesAndSurroundsAgainstTheFile() throws {
        let json = file(data: """
            [{"pubkey": "\(keyHex)",
              "signed_blocks": [{"slot": "10", "signing_root": "0x\(Fixture.root(10).hex)"}, {"slot": "12"}],
              "signed_attestations": [{"source_epoch": "3", "target_epoch": "5", "signing_root": "0x\(Fixture.root(5).hex)"},
                                      {"source_epoch": "5", "target_epoch": "9"}]}]
            """)
        let database = try database("import.sqlite")
        try database.importInterchange(try parse(json))
        let key = Fixture.key
        XCTAssertFalse(try database.checkAndRecordBlock(publicKey: key, slot: 12, signingRoot: Fixture.root(12)).maySign, "no root: never re-signed")
        XCTAssertFalse(try database.checkAndRecordBlock(publicKey: key, slot: 11, signingRoot: Fixture.root(11)).maySign)
        XCTAssertEqual(
            try database.checkAndRecordBlock(publicKey: key, slot: 10, signingRoot: Fixture.root(10)), .alreadySigned,
            "re-signing the identical block is harmless (EIP-3076 repeat signing)")
        XCTAssertFalse(try database.checkAndRecordBlock(publicKey: key, slot: 10, signingRoot: Fixture.root(11)).maySign)
        XCTAssertEqual(try database.checkAndRecordBlock(publicKey: key, slot: 13, signingRoot: Fixture.root(13)), .allowed)
        XCTAssertEqual(
            try database.checkAndRecordAttestation(publicKey: key, source: 3, target: 5, signingRoot: Fixture.root(5)), .alreadySigned)
        XCTAssertFalse(try database.checkAndRecordAttestation(publicKey: key, source: 3, target: 5, signingRoot: Fixture.root(6)).maySign, "double vote")
        XCTAssertFalse(try database.checkAndRecordAttestation(publicKey: key, source: 5, target: 9, signingRoot: Fixture.root(9)).maySign, "no root")
        XCTAssertFalse(try database.checkAndRecordAttestation(publicKey: key, source: 6, target: 8, signingRoot: Fixture.root(8)).maySign, "surrounded")
        XCTAssertFalse(try database.checkAndRecordAttestation(publicKey: key, source: 4, target: 10, signingRoot: Fixture.root(10)).maySign, "surrounds")
        XCTAssertFalse(try database.checkAndRecordAttestation(publicKey: key, source: 2, target: 11, signingRoot: Fixture.root(11)).maySign, "source below minimum")
        XCTAssertEqual(try database.checkAndRecordAttestation(publicKey: key, source: 9, target: 10, signingRoot: Fixture.root(10)), .allowed)
    }

    /// Conflicts with the database are absorbed by the union: both sides stay, and whatever is
    /// slashable against either is refused.
    func testImportMergesConflictsByUnion() throws {
        let database = try database("merge.sqlite")
        let key = Fixture.key
        XCTAssertEqual(try database.checkAndRecordAttestation(publicKey: key, source: 3, target: 4, signingRoot: Fixture.root(4)), .allowed)
        let json = file(data: """
            [{"pubkey": "\(keyHex)", "signed_blocks": [],
              "signed_attestations": [{"source_epoch": "3", "target_epoch": "4", "signing_root": "0x\(Fixture.root(99).hex)"},
                                      {"source_epoch": "1", "target_epoch": "6"}]},
             {"pubkey": "\(keyHex)", "signed_attestations": [{"source_epoch": "6", "target_epoch": "7"}]}]
            """)
        let summary = try database.importInterchange(try parse(json))
        XCTAssertEqual(summary.validatorCount, 1)
        XCTAssertEqual(summary.attestationsAdded, 2, "the clash at target 4 keeps the stored record")
        XCTAssertEqual(
            try database.checkAndRecordAttestation(publicKey: key, source: 3, target: 4, signingRoot: Fixture.root(4)), .alreadySigned)
        XCTAssertFalse(try database.checkAndRecordAttestation(publicKey: key, source: 3, target: 4, signingRoot: Fixture.root(99)).maySign)
        XCTAssertFalse(try database.checkAndRecordAttestation(publicKey: key, source: 6, target: 7, signingRoot: Fixture.root(7)).maySign)
        XCTAssertEqual(try database.checkAndRecordAttestation(publicKey: key, source: 7, target: 8, signingRoot: Fixture.root(8)), .allowed)
        // Importing the same file again adds nothing.
        XCTAssertEqual(try database.importInterchange(try parse(json)).attestationsAdded, 0)
    }

    func testImportWithAnotherGenesisRootFailsAndImportsNothing() throws {
        let database = try database("genesis.sqlite")
        let json = file(data: "[{\"pubkey\": \"\(keyHex)\", \"signed_blocks\": [{\"slot\": \"1\"}]}]", genesis: "0x" + Fixture.root(5).hex)
        XCTAssertThrowsError(try database.importInterchange(try parse(json))) { error in
            XCTAssertTrue("\(error)".contains("genesis_validators_root"), "\(error)")
        }
        XCTAssertEqual(try database.exportInterchange().data, [])
    }

    func testMalformedFilesAreRejectedWithTheField() {
        let bls = "0x" + String(repeating: "ab", count: 48)
        let root = "0x" + Fixture.root(1).hex
        expectRejection(Data("not json".utf8), field: nil, containing: "not an EIP-3076 interchange file")
        expectRejection(Data("[]".utf8), field: nil, containing: "expected an object")
        expectRejection(file(data: "[]", version: "4"), field: "metadata.interchange_format_version", containing: "unsupported")
        expectRejection(Data("{\"data\": []}".utf8), field: "metadata", containing: "missing")
        expectRejection(file(data: "[]", genesis: "0x1234"), field: "metadata.genesis_validators_root", containing: "expected 32 bytes")
        expectRejection(file(data: "{}"), field: "data", containing: "expected an array")
        expectRejection(file(data: "[{\"pubkey\": \"\(bls)\"}]"), field: "data[0].pubkey", containing: "48-byte BLS")
        expectRejection(file(data: "[{\"pubkey\": \"\(Fixture.key.hex)\"}]"), field: "data[0].pubkey", containing: "0x-prefixed")
        expectRejection(file(data: "[{\"pubkey\": \"0xzz\"}]"), field: "data[0].pubkey", containing: "hex")
        expectRejection(
            file(data: "[{\"pubkey\": \"0x\(String(repeating: "ff", count: 32))\"}]"), field: "data[0].pubkey", containing: "x-only")
        expectRejection(file(data: "[{}]"), field: "data[0].pubkey", containing: "missing")
        expectRejection(
            file(data: "[{\"pubkey\": \"\(keyHex)\", \"signed_blocks\": [{\"slot\": 5}]}]"),
            field: "data[0].signed_blocks[0].slot", containing: "decimal")
        expectRejection(
            file(data: "[{\"pubkey\": \"\(keyHex)\", \"signed_blocks\": [{\"slot\": \"-5\"}]}]"),
            field: "data[0].signed_blocks[0].slot", containing: "decimal")
        expectRejection(
            file(data: "[{\"pubkey\": \"\(keyHex)\", \"signed_blocks\": [{\"slot\": \"18446744073709551616\"}]}]"),
            field: "data[0].signed_blocks[0].slot", containing: "decimal")
        expectRejection(
            file(data: "[{\"pubkey\": \"\(keyHex)\", \"signed_blocks\": [{\"slot\": \"1\", \"signing_root\": \"0x12\"}]}]"),
            field: "data[0].signed_blocks[0].signing_root", containing: "32 bytes")
        expectRejection(
            file(data: "[{\"pubkey\": \"\(keyHex)\", \"signed_attestations\": [{\"source_epoch\": \"1\"}]}]"),
            field: "data[0].signed_attestations[0].target_epoch", containing: "missing")
        expectRejection(
            file(data: "[{\"pubkey\": \"\(keyHex)\", \"signed_attestations\": [{\"source_epoch\": \"3\", \"target_epoch\": \"2\", \"signing_root\": \"\(root)\"}]}]"),
            field: "data[0].signed_attestations[0]", containing: "source_epoch is after target_epoch")
    }

    func testFullU64RangeRoundTrips() throws {
        let database = try database("range.sqlite")
        let maximum = UInt64.max
        let json = file(data: """
            [{"pubkey": "\(keyHex)", "signed_blocks": [{"slot": "\(maximum)"}, {"slot": "0"}],
              "signed_attestations": [{"source_epoch": "\(maximum - 1)", "target_epoch": "\(maximum)"}]}]
            """)
        try database.importInterchange(try parse(json))
        let exported = try database.exportInterchange()
        XCTAssertEqual(exported.data.first?.signedBlocks.map(\.slot), [0, Slot(maximum)])
        XCTAssertEqual(exported.data.first?.signedAttestations.map(\.targetEpoch), [Epoch(maximum)])
        XCTAssertFalse(try database.checkAndRecordBlock(publicKey: Fixture.key, slot: Slot(maximum - 1), signingRoot: Fixture.root(1)).maySign)
    }
}
