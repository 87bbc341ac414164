import Foundation
import KeelChain
import KeelCrypto
@testable import KeelNode
import KeelProof
import KeelTestSupport
import XCTest

/// `ChainDatabase`'s proven blocks: stored and read back whole, kept across a reopen, replaced
/// by a second write, pruned with their block, absent for an unknown root.
final class ChainDatabaseProvenBlockTests: XCTestCase {
    /// Three blocks and what a prover makes for each.
    private struct Fixture {
        var genesisRoot: Root
        var blocks: [SignedBlock]
        var records: [ProvenBlockRecord]
    }

    nonisolated(unsafe) private static let fixture: Fixture = {
        var chain = try! TestChain(validatorCount: 8, randaoChainLength: 32)
        let prover = BlockProver(
            system: StubSignedClaimProofSystem(proverSecretKey: DevnetKeys.proverSecretKey, genesisRoot: chain.state.genesisRoot))
        var blocks: [SignedBlock] = []
        var records: [ProvenBlockRecord] = []
        for slot in 1...3 {
            let preState = chain.state
            let block = try! chain.advance(to: Slot(UInt64(slot)))
            let proven = try! prover.prove(block, preState: preState, strategy: .skip)
            blocks.append(block)
            records.append(ProvenBlockRecord(slot: block.message.slot, proven: proven))
        }
        return Fixture(genesisRoot: chain.state.genesisRoot, blocks: blocks, records: records)
    }()

    private var directory: TemporaryDirectory!
    private var path: String { directory.path("chain.sqlite") }

    override func setUpWithError() throws { directory = try TemporaryDirectory("keel-chaindb-proofs") }
    override func tearDown() { directory = nil }

    func testAProvenBlockIsReadBackWholeAndSurvivesReopen() throws {
        let records = Self.fixture.records
        var database = try ChainDatabase.open(path: path, genesisRoot: Self.fixture.genesisRoot)
        for record in records { try database.putProvenBlock(record) }
        XCTAssertEqual(try database.provenBlockCount(), records.count)
        for record in records {
            XCTAssertEqual(try database.provenBlock(blockRoot: record.blockRoot), record)
            XCTAssertTrue(try database.hasProvenBlock(blockRoot: record.blockRoot))
        }
        XCTAssertNil(try database.provenBlock(blockRoot: .zero))
        XCTAssertFalse(try database.hasProvenBlock(blockRoot: .zero))
        database.close()

        database = try ChainDatabase.open(path: path, genesisRoot: Self.fixture.genesisRoot)
        defer { database.close() }
        for record in records {
            let loaded = try XCTUnwrap(try database.provenBlock(blockRoot: record.blockRoot))
            XCTAssertEqual(loaded, record)
            // The bytes decode back to the witnesses the prover made.
            XCTAssertEqual(try StateWitness(decoding: loaded.witness).encoded, record.witness)
            XCTAssertEqual(try StateWitness(decoding: loaded.registry).encoded, record.registry)
        }
    }

    func testStoringAgainReplacesAndPruningDropsProofsWithTheirBlocks() throws {
        let database = try ChainDatabase.open(path: path, genesisRoot: Self.fixture.genesisRoot)
        defer { database.close() }
        for record in Self.fixture.records { try database.putProvenBlock(record) }
        try database.putProvenBlock(Self.fixture.records[0])
        XCTAssertEqual(try database.provenBlockCount(), 3)
        try database.pruneBelow(slot: Slot(3))
        XCTAssertEqual(try database.provenBlockCount(), 1)
        XCTAssertNil(try database.provenBlock(blockRoot: Self.fixture.records[0].blockRoot))
        XCTAssertEqual(try database.provenBlock(blockRoot: Self.fixture.records[2].blockRoot), Self.fixture.records[2])
    }

    func testAFileWithoutTheTableGetsItOnOpen() throws {
        // A version-1 file from before proven blocks: drop the table behind the database's back.
        let database = try ChainDatabase.open(path: path, genesisRoot: Self.fixture.genesisRoot)
        try database.database.inTransaction { (transaction) throws(SQLiteError) in
            try transaction.run("DROP TABLE proven_blocks")
        }
        database.close()
        let reopened = try ChainDatabase.open(path: path, genesisRoot: Self.fixture.genesisRoot)
        defer { reopened.close() }
        try reopened.putProvenBlock(Self.fixture.records[1])
        XCTAssertEqual(try reopened.provenBlock(blockRoot: Self.fixture.records[1].blockRoot), Self.fixture.records[1])
    }

    func testAClaimStoredUnderAnotherBlockIsCorrupt() throws {
        let database = try ChainDatabase.open(path: path, genesisRoot: Self.fixture.genesisRoot)
        defer { database.close() }
        try database.putProvenBlock(Self.fixture.records[0])
        let other = Self.fixture.records[1].blockRoot
        try database.database.inTransaction { (transaction) throws(SQLiteError) in
            try transaction.run(
                "UPDATE proven_blocks SET block_root = ? WHERE block_root = ?",
                [.blob(other.bytes), .blob(Self.fixture.records[0].blockRoot.bytes)])
        }
        XCTAssertThrowsError(try database.provenBlock(blockRoot: other)) { error in
            guard case ChainDatabaseError.corrupt = error else { return XCTFail("\(error)") }
        }
    }
}
