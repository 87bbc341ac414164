import Foundation
import KeelChain
import KeelCrypto
import KeelFormats
@testable import KeelNode
import KeelTestSupport
import XCTest

/// `ChainDatabase`'s receipts: a block's receipts read back in order and across a reopen, found by
/// transaction root in every block that holds it, a damaged row reported as corrupt, and pruned
/// with their block.
final class ChainDatabaseReceiptTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var path: String { directory.path("chain.sqlite") }

    override func setUpWithError() throws { directory = try TemporaryDirectory("keel-chaindb-receipts") }
    override func tearDown() { directory = nil }

    /// Two transfers in the block of slot 1 of a test chain, with their receipts.
    private func fixture() throws -> (genesisRoot: Root, block: SignedBlock, receipts: [APIReceiptJSON]) {
        var chain = try TestChain(validatorCount: 8, randaoChainLength: 32)
        let transfers = [chain.transaction(from: 1, .transfer(recipient: Address(chain.secretKeys[2].publicKey), amount: Stake(5))),
                         chain.transaction(from: 3, .transfer(recipient: Address(chain.secretKeys[4].publicKey), amount: Stake(7)))]
        let preState = chain.state
        let block = try chain.advance(to: Slot(1), operations: BlockOperations(transactions: transfers))
        let root = block.message.hashTreeRoot
        let receipts = try preState.transactionReceipts(of: block.message).map { APIReceiptJSON($0, blockRoot: root, slot: Slot(1)) }
        XCTAssertEqual(receipts.count, 2)
        return (chain.state.genesisRoot, block, receipts)
    }

    func testReceiptsAreReadBackByBlockAndByTransactionAcrossAReopen() throws {
        let (genesisRoot, block, receipts) = try fixture()
        var database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        try database.putReceipts(receipts)
        try database.putReceipts(receipts)  // again: no duplicates
        database.close()
        database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        defer { database.close() }
        XCTAssertEqual(try database.receipts(blockRoot: block.message.hashTreeRoot), receipts)
        let second = try XCTUnwrap(Root(hex: receipts[1].transactionRoot))
        XCTAssertEqual(try database.receipts(transactionRoot: second), [receipts[1]])
        XCTAssertEqual(try database.receipts(transactionRoot: .zero), [])
        XCTAssertEqual(try database.receipts(blockRoot: .zero), [])

        // The same transaction in a fork's block: both inclusions are found.
        var fork = receipts[1]
        fork.blockRoot = SHA256.hash([9]).hex
        fork.index = 0
        fork.slot = 2
        try database.putReceipts([fork])
        XCTAssertEqual(try database.receipts(transactionRoot: second), [receipts[1], fork])
    }

    func testADamagedRowIsCorruptNotAWrongReceipt() throws {
        let (genesisRoot, block, receipts) = try fixture()
        let database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        defer { database.close() }
        try database.putReceipts(receipts)
        try database.database.inTransaction { (transaction) throws(SQLiteError) in
            try transaction.run("UPDATE receipts SET receipt = '{\"not\": \"a receipt\"}' WHERE position = 0")
        }
        XCTAssertThrowsError(try database.receipts(blockRoot: block.message.hashTreeRoot)) { error in
            guard case .corrupt = error as? ChainDatabaseError else { return XCTFail("\(error)") }
        }
        // A receipt moved under another block's key is caught too.
        try database.database.inTransaction { (transaction) throws(SQLiteError) in
            try transaction.run("UPDATE receipts SET block_root = ? WHERE position = 1", [.blob(SHA256.hash([2]).bytes)])
        }
        XCTAssertThrowsError(try database.receipts(blockRoot: SHA256.hash([2]))) { error in
            guard case .corrupt = error as? ChainDatabaseError else { return XCTFail("\(error)") }
        }
    }

    func testReceiptsArePrunedWithTheirBlocks() throws {
        let (genesisRoot, block, receipts) = try fixture()
        let database = try ChainDatabase.open(path: path, genesisRoot: genesisRoot)
        defer { database.close() }
        try database.putBlock(block)
        try database.putReceipts(receipts)
        _ = try database.pruneBelow(slot: Slot(1))
        XCTAssertEqual(try database.receipts(blockRoot: block.message.hashTreeRoot).count, 2, "slot 1 is kept")
        _ = try database.pruneBelow(slot: Slot(2))
        XCTAssertEqual(try database.receipts(blockRoot: block.message.hashTreeRoot), [], "pruned with the block")
    }
}
