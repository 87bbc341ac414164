import Foundation
import KeelChain
import KeelCrypto
import KeelFormats

extension ChainDatabase {
    /// The `receipts` table: one row per included transaction of every stored block (forks
    /// too), the receipt as its API JSON. Receipts are recomputable from a block and its
    /// pre-state; they are stored because a pre-state below finality is not kept. Like
    /// `proven_blocks`, an extra table that an older file gets when opened.
    static func createReceiptsTable(_ transaction: SQLiteTransaction) throws(SQLiteError) {
        try transaction.run("""
            CREATE TABLE IF NOT EXISTS receipts (block_root BLOB NOT NULL, position INTEGER NOT NULL, \
            transaction_root BLOB NOT NULL, slot INTEGER NOT NULL, receipt TEXT NOT NULL, \
            PRIMARY KEY (block_root, position))
            """)
        try transaction.run("CREATE INDEX IF NOT EXISTS receipts_by_transaction ON receipts (transaction_root)")
        try transaction.run("CREATE INDEX IF NOT EXISTS receipts_by_slot ON receipts (slot)")
    }

    /// Stores a block's receipts in one transaction (storing them again changes nothing).
    ///
    /// - Parameter receipts: The receipts of one block, in block order.
    /// - Throws: `slotOutOfRange` or `sqlite`.
    public func putReceipts(_ receipts: [APIReceiptJSON]) throws(ChainDatabaseError) {
        guard let first = receipts.first else { return }
        precondition(receipts.allSatisfy { $0.blockRoot == first.blockRoot }, "one block's receipts")
        precondition(receipts.enumerated().allSatisfy { $0.offset == $0.element.index }, "receipts in block order")
        guard first.slot <= UInt64(Int64.max) else { throw .slotOutOfRange(Slot(first.slot)) }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        var rows: [[SQLiteValue]] = []
        for receipt in receipts {
            guard let block = Hex.decode(receipt.blockRoot), let transaction = Hex.decode(receipt.transactionRoot),
                let json = try? encoder.encode(receipt)
            else { preconditionFailure("a receipt made from a block holds hex roots and encodes") }
            rows.append([
                .blob(block), .integer(Int64(receipt.index)), .blob(transaction), .integer(Int64(receipt.slot)),
                .text(String(decoding: json, as: UTF8.self)),
            ])
        }
        try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction { (transaction) throws(SQLiteError) in
                for row in rows {
                    try transaction.run(
                        "INSERT OR IGNORE INTO receipts (block_root, position, transaction_root, slot, receipt) VALUES (?, ?, ?, ?, ?)",
                        row)
                }
            }
        }
    }

    /// The receipts of block `blockRoot`, in block order (empty for a block without
    /// transactions, or not stored).
    ///
    /// - Throws: `corrupt` for a row that does not decode or names another block; `sqlite`.
    public func receipts(blockRoot: Root) throws(ChainDatabaseError) -> [APIReceiptJSON] {
        let rows = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query("SELECT receipt FROM receipts WHERE block_root = ? ORDER BY position", [.blob(blockRoot.bytes)])
            }
        }
        let receipts = try rows.map { (row) throws(ChainDatabaseError) in try Self.decodeReceipt(row) }
        for (position, receipt) in receipts.enumerated() where receipt.blockRoot != blockRoot.hex || receipt.index != position {
            throw .corrupt("receipt \(position) of block \(blockRoot.hex) names block \(receipt.blockRoot) position \(receipt.index)")
        }
        return receipts
    }

    /// Every stored receipt of transaction `transactionRoot`: one per stored block including it
    /// (a fork's block as well as the canonical one), by slot.
    ///
    /// - Throws: `corrupt` for a row that does not decode or names another transaction; `sqlite`.
    public func receipts(transactionRoot: Root) throws(ChainDatabaseError) -> [APIReceiptJSON] {
        let rows = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query(
                    "SELECT receipt FROM receipts WHERE transaction_root = ? ORDER BY slot LIMIT 64", [.blob(transactionRoot.bytes)])
            }
        }
        let receipts = try rows.map { (row) throws(ChainDatabaseError) in try Self.decodeReceipt(row) }
        if let wrong = receipts.first(where: { $0.transactionRoot != transactionRoot.hex }) {
            throw .corrupt("a receipt stored under transaction \(transactionRoot.hex) is of \(wrong.transactionRoot)")
        }
        return receipts
    }

    private static func decodeReceipt(_ row: SQLiteRow) throws(ChainDatabaseError) -> APIReceiptJSON {
        let text = try wrap { () throws(SQLiteError) in try row.text(0) }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(APIReceiptJSON.self, from: Data(text.utf8)) } catch {
            throw .corrupt("a stored receipt does not decode: \(error)")
        }
    }
}
