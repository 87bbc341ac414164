import KeelChain
import KeelCrypto
import KeelProof

/// What a prover node keeps for one block, as it stores and serves it: the claim and the proof
/// decoded (they are small and the API shows their fields), the witnesses as their encodings
/// (large; the API only forwards them, so they are never decoded on the serving path).
public struct ProvenBlockRecord: Hashable, Sendable {
    /// The proven block's root (``TransitionClaim/blockRoot``).
    public var blockRoot: Root
    /// The block's slot (for pruning together with the block).
    public var slot: Slot
    public var claim: TransitionClaim
    public var proof: TransitionProof
    /// `StateWitness.encoded` of the block witness (the pre-state, cut to what the block touches).
    public var witness: [UInt8]
    /// `StateWitness.encoded` of the post-state's registry proof.
    public var registry: [UInt8]

    /// Creates a record from its parts.
    public init(slot: Slot, claim: TransitionClaim, proof: TransitionProof, witness: [UInt8], registry: [UInt8]) {
        precondition(!witness.isEmpty, "a witness encodes at least the state's fields")
        precondition(!registry.isEmpty, "a registry proof encodes at least the state's fields")
        self.blockRoot = claim.blockRoot
        self.slot = slot
        self.claim = claim
        self.proof = proof
        self.witness = witness
        self.registry = registry
    }

    /// The record of what ``BlockProver`` made for the block of `slot`.
    public init(slot: Slot, proven: ProvenBlock) {
        self.init(
            slot: slot, claim: proven.claim, proof: proven.proof, witness: proven.witness.encoded,
            registry: proven.registry.encoded)
    }
}

extension ChainDatabase {
    /// The `proven_blocks` table; `IF NOT EXISTS` because files created before it get it on open.
    static func createProvenBlocksTable(_ transaction: SQLiteTransaction) throws(SQLiteError) {
        try transaction.run("""
            CREATE TABLE IF NOT EXISTS proven_blocks (block_root BLOB PRIMARY KEY, slot INTEGER NOT NULL, \
            claim BLOB NOT NULL, proof BLOB NOT NULL, witness BLOB NOT NULL, registry BLOB NOT NULL)
            """)
        try transaction.run("CREATE INDEX IF NOT EXISTS proven_blocks_by_slot ON proven_blocks (slot)")
    }

    /// Stores what a prover made for one block, in one transaction, replacing any earlier record
    /// of the same block (a proof is deterministic in the block and its parent state, except a
    /// zk backend's randomness; either is as good).
    ///
    /// - Parameter record: The record; its claim names the block.
    /// - Throws: `slotOutOfRange` or `sqlite`.
    public func putProvenBlock(_ record: ProvenBlockRecord) throws(ChainDatabaseError) {
        precondition(record.blockRoot == record.claim.blockRoot, "a record is stored under its claim's block")
        let slot = try Self.provenSlotValue(record.slot)
        let claim = record.claim.encoded
        let proof = record.proof.encoded
        precondition(claim.count == TransitionClaim.encodedByteCount, "a claim has a fixed size")
        try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction { (transaction) throws(SQLiteError) in
                try transaction.run(
                    """
                    INSERT OR REPLACE INTO proven_blocks (block_root, slot, claim, proof, witness, registry) \
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .blob(record.blockRoot.bytes), slot, .blob(claim), .blob(proof), .blob(record.witness),
                        .blob(record.registry),
                    ])
            }
        }
    }

    /// The record stored for block `blockRoot`, if any.
    ///
    /// - Throws: `corrupt` if the claim or proof does not decode, or the claim names another
    ///   block than its row; `sqlite`.
    public func provenBlock(blockRoot: Root) throws(ChainDatabaseError) -> ProvenBlockRecord? {
        let rows = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query(
                    "SELECT slot, claim, proof, witness, registry FROM proven_blocks WHERE block_root = ?",
                    [.blob(blockRoot.bytes)])
            }
        }
        guard let row = rows.first else { return nil }
        let (slot, claimBytes, proofBytes, witness, registry) = try Self.wrap { () throws(SQLiteError) in
            (try row.int64(0), try row.blob(1), try row.blob(2), try row.blob(3), try row.blob(4))
        }
        let claim: TransitionClaim
        do { claim = try TransitionClaim(decoding: claimBytes) } catch {
            throw .corrupt("the claim of block \(blockRoot.hex) does not decode: \(error)")
        }
        guard claim.blockRoot == blockRoot else {
            throw .corrupt("the proof stored under block \(blockRoot.hex) is about block \(claim.blockRoot.hex)")
        }
        let proof: TransitionProof
        do { proof = try TransitionProof(decoding: proofBytes) } catch {
            throw .corrupt("the proof of block \(blockRoot.hex) does not decode: \(error)")
        }
        guard slot >= 0, !witness.isEmpty, !registry.isEmpty else {
            throw .corrupt("the proven block \(blockRoot.hex) has a negative slot or an empty witness")
        }
        return ProvenBlockRecord(
            slot: Slot(UInt64(slot)), claim: claim, proof: proof, witness: witness, registry: registry)
    }

    /// Whether a record is stored for block `blockRoot` (without reading its witnesses).
    ///
    /// - Throws: `sqlite`.
    public func hasProvenBlock(blockRoot: Root) throws(ChainDatabaseError) -> Bool {
        let rows = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query("SELECT 1 FROM proven_blocks WHERE block_root = ?", [.blob(blockRoot.bytes)])
            }
        }
        precondition(rows.count <= 1, "the block root is the primary key")
        return !rows.isEmpty
    }

    /// How many proven blocks are stored.
    ///
    /// - Throws: `sqlite`.
    public func provenBlockCount() throws(ChainDatabaseError) -> Int {
        let count = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query("SELECT count(*) FROM proven_blocks").first?.int64(0) ?? 0
            }
        }
        precondition(count >= 0, "a count is never negative")
        return Int(count)
    }

    // MARK: Blocks without a proof

    /// The most blocks ``unprovenBlocks(countMax:)`` returns at once.
    public static let unprovenBlocksPerQueryMax = 1_024

    /// Stored blocks that have no proof, oldest first (by slot, then root), canonical or not.
    ///
    /// A prover node proves these when it starts: blocks queued when it stopped, or imported
    /// while it ran without a prover key.
    ///
    /// - Parameter countMax: The most blocks returned (the lowest slots first).
    /// - Throws: `corrupt` for a row that does not decode to its root; `sqlite`.
    public func unprovenBlocks(countMax: Int) throws(ChainDatabaseError) -> [SignedBlock] {
        precondition(countMax >= 0, "a count is never negative")
        precondition(countMax <= Self.unprovenBlocksPerQueryMax, "a query returns a bounded number of blocks")
        let rows = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query(
                    """
                    SELECT blocks.root, blocks.block FROM blocks \
                    LEFT JOIN proven_blocks ON proven_blocks.block_root = blocks.root \
                    WHERE proven_blocks.block_root IS NULL ORDER BY blocks.slot, blocks.root LIMIT ?
                    """,
                    [.integer(Int64(countMax))])
            }
        }
        var blocks: [SignedBlock] = []
        blocks.reserveCapacity(rows.count)
        for row in rows {
            let (rootBytes, bytes) = try Self.wrap { () throws(SQLiteError) in (try row.blob(0), try row.blob(1)) }
            guard let root = Root(bytes: rootBytes) else { throw .corrupt("a block key is \(rootBytes.count) bytes") }
            let block: SignedBlock
            do { block = try SignedBlock(decoding: bytes) } catch {
                throw .corrupt("block \(root.hex) does not decode: \(error)")
            }
            guard block.message.hashTreeRoot == root else {
                throw .corrupt("block stored under \(root.hex) has root \(block.message.hashTreeRoot.hex)")
            }
            precondition(blocks.last.map { $0.message.slot <= block.message.slot } ?? true, "oldest first")
            blocks.append(block)
        }
        precondition(blocks.count <= countMax, "the query keeps to its limit")
        return blocks
    }

    /// How many stored blocks have no proof.
    ///
    /// - Throws: `sqlite`.
    public func unprovenBlockCount() throws(ChainDatabaseError) -> Int {
        let count = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query(
                    """
                    SELECT count(*) FROM blocks LEFT JOIN proven_blocks ON proven_blocks.block_root = blocks.root \
                    WHERE proven_blocks.block_root IS NULL
                    """
                ).first?.int64(0) ?? 0
            }
        }
        precondition(count >= 0, "a count is never negative")
        return Int(count)
    }

    /// Whether the post-state of block `blockRoot` is stored (without decoding it): the prover
    /// asks before queuing a stored block on its parent's state.
    ///
    /// - Throws: `sqlite`.
    public func hasState(blockRoot: Root) throws(ChainDatabaseError) -> Bool {
        let rows = try Self.wrap { () throws(SQLiteError) in
            try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                try transaction.query("SELECT 1 FROM states WHERE block_root = ?", [.blob(blockRoot.bytes)])
            }
        }
        precondition(rows.count <= 1, "the block root is the primary key")
        return !rows.isEmpty
    }

    private static func provenSlotValue(_ slot: Slot) throws(ChainDatabaseError) -> SQLiteValue {
        guard slot.rawValue <= UInt64(Int64.max) else { throw .slotOutOfRange(slot) }
        return .integer(Int64(slot.rawValue))
    }
}
