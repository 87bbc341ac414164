import KeelChain
import KeelCrypto

/// The point a restarted node resumes from: the fork-choice anchor and the checkpoints it
/// carries. Its block's post-state is always stored beside it (``ChainDatabase/setAnchor(_:)``
/// refuses otherwise), so a node killed at any moment restarts from the anchor state and
/// replays or re-syncs the blocks after it.
public struct ForkChoiceAnchor: Hashable, Sendable {
    /// The anchor block's root (the genesis block's root, later a finalized block's).
    public var blockRoot: Root
    /// The finalized checkpoint as of the anchor.
    public var finalized: Checkpoint
    /// The justified checkpoint as of the anchor.
    public var justified: Checkpoint

    /// An anchor.
    public init(blockRoot: Root, finalized: Checkpoint, justified: Checkpoint) {
        self.blockRoot = blockRoot
        self.finalized = finalized
        self.justified = justified
    }
}

/// A node's chain storage in SQLite: blocks, states at checkpoints, and the fork-choice anchor.
///
/// Schema (version ``schemaVersion`` in `PRAGMA user_version`):
/// - `meta(key, value)`: `genesis_root`, so a data directory of one chain is never opened for
///   another (``ChainDatabaseError/genesisMismatch(path:stored:expected:)``).
/// - `blocks(root PK, slot, parent_root, block)`: canonical `SignedBlock` encodings.
/// - `states(block_root PK, slot, state)`: canonical `ChainState` encodings (``ChainState/encoded``).
/// - `anchor(id = 0, block_root, finalized_*, justified_*)`: at most one row.
/// - `proven_blocks(block_root PK, slot, claim, proof, witness, registry)`: what a prover node
///   made for each block (``ProvenBlockRecord``, `ChainDatabase+ProvenBlocks.swift`). Added
///   after schema version 1 shipped; it is only an extra table, so an older file gets it when
///   opened (`CREATE TABLE IF NOT EXISTS`) and the version stays 1.
/// - `receipts(block_root, position, transaction_root, slot, receipt)`: each stored block's
///   transaction receipts as JSON (`ChainDatabase+Receipts.swift`), added the same way.
///
/// Crash safety: WAL journal, and every write is one transaction, so a process killed at any
/// moment (SIGKILL) leaves each write either wholly there or wholly absent. Durability level:
/// `synchronous=NORMAL`. A process crash loses no commit in WAL mode (committed pages are in
/// the OS already); only a power loss can roll back the last few commits, and what it rolls
/// back (recent blocks, a newer anchor) the node re-syncs from peers, restarting from the
/// previous anchor, which stays consistent. Slashing protection, which cannot be re-synced,
/// uses `FULL` (``SlashingProtectionDatabase``).
///
/// Every read is checked against its key (a block's root, a state's slot), so a damaged row
/// surfaces as ``ChainDatabaseError/corrupt(_:)`` instead of a wrong block (STYLE.md item 11:
/// check before storing and after loading).
public final class ChainDatabase: Sendable {
    /// The file name inside a node's data directory.
    public static let fileName = "chain.sqlite"
    /// The schema this build writes and reads.
    public static let schemaVersion: Int64 = 1
    /// The most blocks one range query returns.
    public static let blocksPerQueryMax = 4_096

    /// The database file.
    public let path: String
    /// The genesis this database belongs to.
    public let genesisRoot: Root
    let database: SQLiteDatabase

    private init(path: String, genesisRoot: Root, database: SQLiteDatabase) {
        self.path = path
        self.genesisRoot = genesisRoot
        self.database = database
    }

    /// Opens the database at `path`, creating its schema if the file is new.
    ///
    /// - Parameters:
    ///   - path: The file (conventionally DATA_DIR/``fileName``); its directory must exist.
    ///   - genesisRoot: The chain's genesis root; a new file records it, an existing one must
    ///     hold the same.
    /// - Returns: The open database.
    /// - Throws: `genesisMismatch`, `unsupportedSchemaVersion`, or `sqlite`.
    public static func open(path: String, genesisRoot: Root) throws(ChainDatabaseError) -> ChainDatabase {
        let database: SQLiteDatabase
        do {
            database = try SQLiteDatabase.openGenesisBound(
                path: path, synchronous: .normal, genesisRoot: genesisRoot, schemaVersion: schemaVersion,
                createTables: createTables)
        } catch {
            switch error {
            case let .sqlite(error): throw .sqlite(error)
            case let .unsupportedSchemaVersion(found):
                throw .unsupportedSchemaVersion(path: path, found: found, supported: schemaVersion)
            case let .corrupt(reason): throw .corrupt(reason)
            case let .genesisMismatch(stored): throw .genesisMismatch(path: path, stored: stored, expected: genesisRoot)
            }
        }
        do {
            try database.inTransaction { (transaction) throws(SQLiteError) in
                try createProvenBlocksTable(transaction)
                try createReceiptsTable(transaction)
            }
        } catch {
            database.close()
            throw .sqlite(error)
        }
        return ChainDatabase(path: path, genesisRoot: genesisRoot, database: database)
    }

    /// This database's own tables (the meta table and versions are `openGenesisBound`'s).
    private static func createTables(_ transaction: SQLiteTransaction) throws(SQLiteError) {
        try transaction.run("""
            CREATE TABLE blocks (root BLOB PRIMARY KEY, slot INTEGER NOT NULL, parent_root BLOB NOT NULL, \
            block BLOB NOT NULL)
            """)
        try transaction.run("CREATE INDEX blocks_by_slot ON blocks (slot)")
        try transaction.run("CREATE TABLE states (block_root BLOB PRIMARY KEY, slot INTEGER NOT NULL, state BLOB NOT NULL)")
        try transaction.run("CREATE INDEX states_by_slot ON states (slot)")
        try transaction.run("""
            CREATE TABLE anchor (id INTEGER PRIMARY KEY CHECK (id = 0), block_root BLOB NOT NULL, \
            finalized_epoch INTEGER NOT NULL, finalized_root BLOB NOT NULL, \
            justified_epoch INTEGER NOT NULL, justified_root BLOB NOT NULL)
            """)
        try createProvenBlocksTable(transaction)
        try createReceiptsTable(transaction)
    }

    /// Closes the file; later calls fail with `sqlite` (`SQLITE_MISUSE`).
    public func close() { database.close() }

    // MARK: Blocks

    /// Stores a block under its root; storing the same block again changes nothing.
    ///
    /// - Parameter block: The signed block (checked by the caller: storage does not validate).
    /// - Returns: The block's root.
    /// - Throws: `slotOutOfRange` or `sqlite`.
    @discardableResult
    public func putBlock(_ block: SignedBlock) throws(ChainDatabaseError) -> Root {
        let root = block.message.hashTreeRoot
        let slot = try Self.slotValue(block.message.slot)
        let bytes = block.encoded
        try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction { (transaction) throws(SQLiteError) in
                try transaction.run(
                    "INSERT OR IGNORE INTO blocks (root, slot, parent_root, block) VALUES (?, ?, ?, ?)",
                    [.blob(root.bytes), slot, .blob(block.message.parentRoot.bytes), .blob(bytes)])
            }
        }
        return root
    }

    /// The block stored under `root`, if any.
    ///
    /// - Throws: `corrupt` if the stored bytes do not decode to a block of that root; `sqlite`.
    public func block(root: Root) throws(ChainDatabaseError) -> SignedBlock? {
        let rows = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query("SELECT block FROM blocks WHERE root = ?", [.blob(root.bytes)])
            }
        }
        guard let row = rows.first else { return nil }
        return try Self.decodeBlock(try Self.wrap { () throws(SQLiteError) in try row.blob(0) }, expectedRoot: root)
    }

    /// Every stored block with a slot in `fromSlot ... toSlot`, by slot then root (forks
    /// included: canonical-chain lookups belong to the fork choice).
    ///
    /// - Parameters:
    ///   - fromSlot: The first slot.
    ///   - toSlot: The last slot, inclusive.
    ///   - countMax: The most blocks returned (the lowest slots first).
    /// - Throws: `corrupt` for a row that does not decode to its root; `sqlite`.
    public func blocks(fromSlot: Slot, toSlot: Slot, countMax: Int = blocksPerQueryMax) throws(ChainDatabaseError) -> [SignedBlock] {
        precondition(countMax >= 0 && countMax <= Self.blocksPerQueryMax, "a query returns a bounded number of blocks")
        guard fromSlot <= toSlot, fromSlot.rawValue <= UInt64(Int64.max) else { return [] }
        let upper = Int64(clamping: toSlot.rawValue)
        let rows = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query(
                    "SELECT root, block FROM blocks WHERE slot BETWEEN ? AND ? ORDER BY slot, root LIMIT ?",
                    [.integer(Int64(fromSlot.rawValue)), .integer(upper), .integer(Int64(countMax))])
            }
        }
        var blocks: [SignedBlock] = []
        blocks.reserveCapacity(rows.count)
        for row in rows {
            let (rootBytes, bytes) = try Self.wrap { () throws(SQLiteError) in (try row.blob(0), try row.blob(1)) }
            guard let root = Root(bytes: rootBytes) else { throw .corrupt("a block key is \(rootBytes.count) bytes") }
            let block = try Self.decodeBlock(bytes, expectedRoot: root)
            precondition(block.message.slot >= fromSlot && block.message.slot <= toSlot, "the query keeps to the range")
            blocks.append(block)
        }
        return blocks
    }

    private static func decodeBlock(_ bytes: [UInt8], expectedRoot: Root) throws(ChainDatabaseError) -> SignedBlock {
        let block: SignedBlock
        do { block = try SignedBlock(decoding: bytes) } catch {
            throw .corrupt("block \(expectedRoot.hex) does not decode: \(error)")
        }
        guard block.message.hashTreeRoot == expectedRoot else {
            throw .corrupt("block stored under \(expectedRoot.hex) has root \(block.message.hashTreeRoot.hex)")
        }
        return block
    }

    // MARK: States

    /// Stores the post-state of the block `blockRoot` (a checkpoint state), replacing any
    /// stored before.
    ///
    /// - Throws: `slotOutOfRange` or `sqlite`.
    public func putState(blockRoot: Root, state: ChainState) throws(ChainDatabaseError) {
        let slot = try Self.slotValue(state.slot)
        let bytes = state.encoded
        try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction { (transaction) throws(SQLiteError) in
                try transaction.run(
                    "INSERT OR REPLACE INTO states (block_root, slot, state) VALUES (?, ?, ?)",
                    [.blob(blockRoot.bytes), slot, .blob(bytes)])
            }
        }
    }

    /// The state stored for the block `blockRoot`, if any, with its Merkle tree rebuilt.
    ///
    /// - Throws: `corrupt` if the bytes do not decode or the slot disagrees with its row; `sqlite`.
    public func state(blockRoot: Root) throws(ChainDatabaseError) -> ChainState? {
        let rows = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query("SELECT slot, state FROM states WHERE block_root = ?", [.blob(blockRoot.bytes)])
            }
        }
        guard let row = rows.first else { return nil }
        let (slot, bytes) = try Self.wrap { () throws(SQLiteError) in (try row.int64(0), try row.blob(1)) }
        let state: ChainState
        do { state = try ChainState(decoding: bytes) } catch {
            throw .corrupt("state of block \(blockRoot.hex) does not decode: \(error)")
        }
        guard state.slot.rawValue == UInt64(bitPattern: slot) else {
            throw .corrupt("state of block \(blockRoot.hex) is at slot \(state.slot), its row says \(slot)")
        }
        return state
    }

    // MARK: Anchor

    /// Records the fork-choice anchor, replacing the previous one.
    ///
    /// - Parameter anchor: The anchor; its block's state must already be stored
    ///   (``putState(blockRoot:state:)``), so a restart can always load it.
    /// - Throws: `corrupt` if no state is stored for the anchor block; `sqlite`.
    public func setAnchor(_ anchor: ForkChoiceAnchor) throws(ChainDatabaseError) {
        let stored = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction { (transaction) throws(SQLiteError) -> Bool in
                let count = try transaction.query(
                    "SELECT count(*) FROM states WHERE block_root = ?", [.blob(anchor.blockRoot.bytes)]
                ).first?.int64(0) ?? 0
                guard count == 1 else { return false }
                try transaction.run(
                    """
                    INSERT OR REPLACE INTO anchor (id, block_root, finalized_epoch, finalized_root, justified_epoch, \
                    justified_root) VALUES (0, ?, ?, ?, ?, ?)
                    """,
                    [
                        .blob(anchor.blockRoot.bytes), .integer(Int64(bitPattern: anchor.finalized.epoch.rawValue)),
                        .blob(anchor.finalized.root.bytes), .integer(Int64(bitPattern: anchor.justified.epoch.rawValue)),
                        .blob(anchor.justified.root.bytes),
                    ])
                return true
            }
        }
        guard stored else { throw .corrupt("refusing an anchor at \(anchor.blockRoot.hex): no state is stored for it") }
    }

    /// The anchor, or nil before the first ``setAnchor(_:)``.
    ///
    /// - Throws: `corrupt` for a malformed row; `sqlite`.
    public func anchor() throws(ChainDatabaseError) -> ForkChoiceAnchor? {
        let rows = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query(
                    "SELECT block_root, finalized_epoch, finalized_root, justified_epoch, justified_root FROM anchor WHERE id = 0")
            }
        }
        guard let row = rows.first else { return nil }
        let fields = try Self.wrap { () throws(SQLiteError) in
            (
                Root(bytes: try row.blob(0)), try row.int64(1), Root(bytes: try row.blob(2)), try row.int64(3),
                Root(bytes: try row.blob(4))
            )
        }
        guard let blockRoot = fields.0, let finalizedRoot = fields.2, let justifiedRoot = fields.4 else {
            throw .corrupt("the anchor row holds a root that is not 32 bytes")
        }
        return ForkChoiceAnchor(
            blockRoot: blockRoot,
            finalized: Checkpoint(epoch: Epoch(UInt64(bitPattern: fields.1)), root: finalizedRoot),
            justified: Checkpoint(epoch: Epoch(UInt64(bitPattern: fields.3)), root: justifiedRoot))
    }

    // MARK: Pruning

    /// Deletes blocks, states and proven blocks below `slot`, except the anchor's block and state.
    ///
    /// - Parameter slot: The lowest slot kept.
    /// - Returns: How many blocks and states were deleted.
    /// - Throws: `sqlite`.
    @discardableResult
    public func pruneBelow(slot: Slot) throws(ChainDatabaseError) -> (blocks: Int64, states: Int64) {
        let bound = Int64(clamping: slot.rawValue)
        return try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction { (transaction) throws(SQLiteError) -> (blocks: Int64, states: Int64) in
                let keep = "(SELECT block_root FROM anchor WHERE id = 0)"
                try transaction.run("DELETE FROM blocks WHERE slot < ? AND root NOT IN \(keep)", [.integer(bound)])
                let blocks = try transaction.changes()
                try transaction.run("DELETE FROM states WHERE slot < ? AND block_root NOT IN \(keep)", [.integer(bound)])
                let states = try transaction.changes()
                // A proof and the receipts are served with their block: they go when it does.
                try transaction.run("DELETE FROM proven_blocks WHERE slot < ? AND block_root NOT IN \(keep)", [.integer(bound)])
                try transaction.run("DELETE FROM receipts WHERE slot < ? AND block_root NOT IN \(keep)", [.integer(bound)])
                return (blocks, states)
            }
        }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file.
    public func integrityCheck() throws(ChainDatabaseError) -> String {
        try Self.wrap { () throws(SQLiteError) in try database.integrityCheck() }
    }

    /// A slot as an SQL integer; slots above `Int64.max` cannot be ordered by SQLite.
    private static func slotValue(_ slot: Slot) throws(ChainDatabaseError) -> SQLiteValue {
        guard slot.rawValue <= UInt64(Int64.max) else { throw .slotOutOfRange(slot) }
        return .integer(Int64(slot.rawValue))
    }

    static func wrap<Result>(_ body: () throws(SQLiteError) -> Result) throws(ChainDatabaseError) -> Result {
        do { return try body() } catch { throw .sqlite(error) }
    }
}
