import Foundation
import KeelChain
import KeelCrypto
@testable import KeelNode
import KeelTestSupport
import XCTest

/// `ChainDatabase`: blocks, states, the anchor, pruning, genesis and schema checks, and crash
/// safety (reopen after writes left without a clean close, and after SIGKILL mid-writes).
final class ChainDatabaseTests: XCTestCase {
    /// A genesis state and the blocks of slots 1 ... 10 on top of it.
    private struct Fixture {
        var genesis: ChainState
        var genesisBlockRoot: Root
        var blocks: [SignedBlock]
        var head: ChainState
    }

    nonisolated(unsafe) private static let fixture: Fixture = {
        var chain = try! TestChain(validatorCount: 8, randaoChainLength: 32)
        let genesis = chain.state
        let genesisBlockRoot = chain.headRoot
        var blocks: [SignedBlock] = []
        for slot in 1...10 { blocks.append(try! chain.advance(to: Slot(UInt64(slot)))) }
        return Fixture(genesis: genesis, genesisBlockRoot: genesisBlockRoot, blocks: blocks, head: chain.state)
    }()

    private var directory: TemporaryDirectory!
    private var path: String { directory.path("chain.sqlite") }
    private var genesisRoot: Root { Self.fixture.genesis.genesisRoot }

    override func setUpWithError() throws { directory = try TemporaryDirectory("keel-chaindb") }
    override func tearDown() { directory = nil }

    func testBlocksByRootAndBySlotRange() throws {
        let database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        for block in Self.fixture.blocks { try database.putBlock(block) }
        try database.putBlock(Self.fixture.blocks[0])  // storing again changes nothing
        for block in Self.fixture.blocks {
            XCTAssertEqual(try database.block(root: block.message.hashTreeRoot), block)
        }
        XCTAssertNil(try database.block(root: .zero))
        let range = try database.blocks(fromSlot: 3, toSlot: 5)
        XCTAssertEqual(range.map(\.message.slot), [3, 4, 5])
        XCTAssertEqual(try database.blocks(fromSlot: 0, toSlot: Slot(UInt64.max)).count, 10)
        XCTAssertEqual(try database.blocks(fromSlot: 0, toSlot: 100, countMax: 2).map(\.message.slot), [1, 2])
        XCTAssertEqual(try database.blocks(fromSlot: 6, toSlot: 5), [])
    }

    func testStatesRoundTripWithTheirRoot() throws {
        let database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        var head = Self.fixture.head
        let headRoot = Self.fixture.blocks.last!.message.hashTreeRoot
        try database.putState(blockRoot: headRoot, state: head)
        var loaded = try XCTUnwrap(try database.state(blockRoot: headRoot))
        XCTAssertEqual(loaded.hashTreeRoot(), head.hashTreeRoot())
        XCTAssertEqual(loaded.hashTreeRoot(), Self.fixture.blocks.last!.message.stateRoot)
        XCTAssertNil(try database.state(blockRoot: .zero))
    }

    func testAnchorNeedsItsStateAndSurvivesReopening() throws {
        var database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        XCTAssertNil(try database.anchor())
        let anchor = ForkChoiceAnchor(
            blockRoot: Self.fixture.genesisBlockRoot, finalized: Checkpoint(epoch: 0, root: Self.fixture.genesisBlockRoot),
            justified: Checkpoint(epoch: Epoch(UInt64.max), root: Root(bytes: [UInt8](repeating: 7, count: 32))!))
        XCTAssertThrowsError(try database.setAnchor(anchor)) { XCTAssertTrue("\($0)".contains("no state"), "\($0)") }
        try database.putState(blockRoot: anchor.blockRoot, state: Self.fixture.genesis)
        try database.setAnchor(anchor)
        database.close()
        database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        XCTAssertEqual(try database.anchor(), anchor)
    }

    func testPruneBelowKeepsTheAnchor() throws {
        let database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        var roots: [Root] = []
        for block in Self.fixture.blocks {
            roots.append(try database.putBlock(block))
            try database.putState(blockRoot: roots.last!, state: Self.fixture.genesis)
        }
        // The genesis state is at slot 0, so every state row is below any bound; the anchor's stays.
        let anchorRoot = roots[2]
        try database.setAnchor(ForkChoiceAnchor(
            blockRoot: anchorRoot, finalized: Checkpoint(epoch: 0, root: anchorRoot), justified: Checkpoint(epoch: 0, root: anchorRoot)))
        let pruned = try database.pruneBelow(slot: 6)
        XCTAssertEqual(pruned.blocks, 4, "slots 1, 2, 4, 5 go; slot 3 is the anchor")
        XCTAssertEqual(pruned.states, 9)
        XCTAssertEqual(try database.blocks(fromSlot: 0, toSlot: 100).map(\.message.slot), [3, 6, 7, 8, 9, 10])
        XCTAssertNotNil(try database.state(blockRoot: anchorRoot))
        XCTAssertNil(try database.state(blockRoot: roots[0]))
    }

    func testRefusesAnotherGenesisAndAnotherSchema() throws {
        try ChainDatabase.open(path: path, genesisRoot: genesisRoot).close()
        let other = Root(bytes: [UInt8](repeating: 1, count: 32))!
        XCTAssertThrowsError(try ChainDatabase.open(path: path, genesisRoot: other)) { error in
            guard case .genesisMismatch(_, let stored, let expected) = error as? ChainDatabaseError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(stored, self.genesisRoot)
            XCTAssertEqual(expected, other)
            XCTAssertTrue("\(error)".contains("another data directory"))
        }
        let foreign = directory.path("foreign.sqlite")
        let raw = try SQLiteDatabase(path: foreign, synchronous: .normal)
        try raw.inTransaction { (transaction) throws(SQLiteError) in
            try transaction.run("CREATE TABLE x (y)")
            try transaction.run("PRAGMA user_version = 7")
        }
        raw.close()
        XCTAssertThrowsError(try ChainDatabase.open(path: foreign, genesisRoot: genesisRoot)) { error in
            XCTAssertEqual(error as? ChainDatabaseError, .unsupportedSchemaVersion(path: foreign, found: 7, supported: 1))
        }
    }

    func testCorruptRowsAreReportedNotReturned() throws {
        let database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        let root = try database.putBlock(Self.fixture.blocks[0])
        let raw = try SQLiteDatabase(path: path, synchronous: .normal)
        try raw.inTransaction { (transaction) throws(SQLiteError) in
            try transaction.run("UPDATE blocks SET block = ? WHERE root = ?", [.blob(Self.fixture.blocks[1].encoded), .blob(root.bytes)])
            try transaction.run("INSERT INTO states VALUES (?, 0, ?)", [.blob(Root.zero.bytes), .blob([1, 2, 3])])
        }
        raw.close()
        XCTAssertThrowsError(try database.block(root: root)) { XCTAssertTrue("\($0)".contains("corrupt"), "\($0)") }
        XCTAssertThrowsError(try database.state(blockRoot: .zero)) { XCTAssertTrue("\($0)".contains("corrupt"), "\($0)") }
    }

    /// Writes left without a clean close (the handle is leaked, as when a process dies) are all
    /// there when the file is opened again, and the file is sound.
    func testManyWritesWithoutACleanCloseAreAllThereAfterReopening() throws {
        let genesis = Self.fixture.genesis
        var leaked: ChainDatabase? = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        for index in 0..<200 {
            try leaked!.putState(blockRoot: SHA256.hash(withUnsafeBytes(of: UInt64(index), Array.init)), state: genesis)
        }
        for block in Self.fixture.blocks { try leaked!.putBlock(block) }
        // A second connection while the first still holds the WAL: what a restart after a crash sees.
        let reopened = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        XCTAssertEqual(try reopened.integrityCheck(), "ok")
        for index in 0..<200 {
            XCTAssertNotNil(try reopened.state(blockRoot: SHA256.hash(withUnsafeBytes(of: UInt64(index), Array.init))), "state \(index)")
        }
        XCTAssertEqual(try reopened.blocks(fromSlot: 0, toSlot: 100).count, Self.fixture.blocks.count)
        leaked = nil
    }

    /// A child process writing states is killed with SIGKILL mid-writes: the file is sound and
    /// every write it reported committed is there.
    func testEveryCommittedWriteSurvivesSIGKILL() throws {
        let path = self.path
        let genesisRoot = self.genesisRoot
        let bytes = Self.fixture.blocks[0]
        try ChainDatabase.open(path: path, genesisRoot: genesisRoot).close()
        let reported = runKilledChild(afterMilliseconds: 300) { report in
            guard let database = try? ChainDatabase.open(path: path, genesisRoot: genesisRoot) else { return }
            var block = bytes
            for index in 0..<UInt64(1_000_000) {
                block.message.proposerIndex = ValidatorIndex(index)
                guard (try? database.putBlock(block)) != nil else { return }
                report(index)
            }
        }
        let database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        XCTAssertEqual(try database.integrityCheck(), "ok")
        XCTAssertGreaterThan(reported.count, 0, "the child committed writes before it was killed")
        var block = bytes
        for index in reported {
            block.message.proposerIndex = ValidatorIndex(index)
            XCTAssertNotNil(try database.block(root: block.message.hashTreeRoot), "committed write \(index) was lost")
        }
    }
}
