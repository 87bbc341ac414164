import KeelChain
import KeelConsensus
import KeelCrypto

/// The validator client's slashing-protection database (EIP-3076 semantics) in SQLite.
///
/// Each check runs the pure rules of KeelConsensus ``SlashingProtectionHistory`` on the
/// validator's history as loaded from SQL, and when the decision is `allowed` the record is
/// written and committed in the *same* `BEGIN IMMEDIATE` transaction before the call returns.
/// The caller signs only after that, so a process killed at any moment has either not signed or
/// has a durable record: nothing signed is ever forgotten. Refusals are recorded nowhere.
///
/// Schema (version ``schemaVersion``): `meta(genesis_root)`, `signed_blocks(pubkey, slot,
/// signing_root)` keyed by `(pubkey, slot)`, `signed_attestations(pubkey, source_epoch,
/// target_epoch, signing_root)` keyed by `(pubkey, target_epoch)`. `signing_root` is NULL
/// for records imported without one. Slots and epochs are stored as
/// `Int64(bitPattern: value ^ 1 << 63)`, an order-preserving map of the whole `UInt64` range
/// onto SQLite's signed integers, so imported files with any `u64` still sort correctly.
///
/// Durability: WAL with `synchronous=FULL`, so a committed record survives power loss, not just
/// a process crash.
///
/// Bound (STYLE.md item 13): a check loads at most ``historyLoadCountMax`` records of each kind
/// (the newest), and folds every older record into one record that carries their highest slot,
/// or their highest source and target epochs, with no signing root. That refuses exactly what
/// the pure type's own watermarks refuse once it has pruned the same records (a slot or target
/// at or below the folded one, a source below it, anything surrounding it), so decisions are
/// the pure rules' on the full history. The table itself keeps every record, so an export is
/// complete.
public final class SlashingProtectionDatabase: Sendable {
    /// The file name inside a node's data directory.
    public static let fileName = "slashing-protection.sqlite"
    /// The schema this build writes and reads.
    public static let schemaVersion: Int64 = 1
    /// The most records of each kind loaded per check (see the type's documentation).
    public static let historyLoadCountMax = 512

    /// The database file.
    public let path: String
    /// The chain this database protects.
    public let genesisRoot: Root
    private let database: SQLiteDatabase

    private init(path: String, genesisRoot: Root, database: SQLiteDatabase) {
        self.path = path
        self.genesisRoot = genesisRoot
        self.database = database
    }

    /// Opens the database at `path`, creating it if new.
    ///
    /// - Parameters:
    ///   - path: The file (conventionally `DATA_DIR/slashing-protection.sqlite`).
    ///   - genesisRoot: The chain's genesis root; a new file records it, an existing one must
    ///     hold the same.
    /// - Throws: `genesisMismatch`, `unsupportedSchemaVersion`, `corrupt` or `sqlite`.
    public static func open(path: String, genesisRoot: Root) throws(SlashingProtectionError) -> SlashingProtectionDatabase {
        let database: SQLiteDatabase
        do {
            database = try SQLiteDatabase.openGenesisBound(
                path: path, synchronous: .full, genesisRoot: genesisRoot, schemaVersion: schemaVersion,
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
        return SlashingProtectionDatabase(path: path, genesisRoot: genesisRoot, database: database)
    }

    /// This database's own tables (the meta table and versions are `openGenesisBound`'s).
    private static func createTables(_ transaction: SQLiteTransaction) throws(SQLiteError) {
        try transaction.run("""
            CREATE TABLE signed_blocks (pubkey BLOB NOT NULL, slot INTEGER NOT NULL, signing_root BLOB, \
            PRIMARY KEY (pubkey, slot))
            """)
        try transaction.run("""
            CREATE TABLE signed_attestations (pubkey BLOB NOT NULL, source_epoch INTEGER NOT NULL, \
            target_epoch INTEGER NOT NULL, signing_root BLOB, PRIMARY KEY (pubkey, target_epoch))
            """)
    }

    /// Closes the file; later calls fail with `sqlite` (`SQLITE_MISUSE`).
    public func close() { database.close() }

    // MARK: Check and record

    /// Decides whether `publicKey` may sign a block at `slot` with `signingRoot`, and if the
    /// answer is `allowed`, durably records it before returning.
    ///
    /// - Returns: The decision of ``SlashingProtectionHistory/recordBlock(slot:signingRoot:)``
    ///   on the stored history. Sign only when it is `allowed` or `alreadySigned`.
    /// - Throws: `sqlite` or `corrupt`; then nothing was recorded and the caller must not sign.
    public func checkAndRecordBlock(publicKey: PublicKey, slot: Slot, signingRoot: Root) throws(SlashingProtectionError) -> SlashingProtectionDecision {
        let key = SQLiteValue.blob(publicKey.bytes)
        return try transaction { (transaction) throws(SlashingProtectionError) -> SlashingProtectionDecision in
            var history = try Self.loadHistory(transaction, key)
            let decision = history.recordBlock(slot: slot, signingRoot: signingRoot)
            guard decision == .allowed else { return decision }
            try Self.wrap { () throws(SQLiteError) in
                try transaction.run(
                    "INSERT INTO signed_blocks (pubkey, slot, signing_root) VALUES (?, ?, ?)",
                    [key, Self.sortable(slot.rawValue), .blob(signingRoot.bytes)])
            }
            return decision
        }
    }

    /// Decides whether `publicKey` may sign an attestation from `source` to `target` with
    /// `signingRoot`, and if the answer is `allowed`, durably records it before returning.
    ///
    /// - Returns: The decision of
    ///   ``SlashingProtectionHistory/recordAttestation(source:target:signingRoot:)`` on the
    ///   stored history. Sign only when it is `allowed` or `alreadySigned`.
    /// - Throws: `sqlite` or `corrupt`; then nothing was recorded and the caller must not sign.
    public func checkAndRecordAttestation(
        publicKey: PublicKey, source: Epoch, target: Epoch, signingRoot: Root
    ) throws(SlashingProtectionError) -> SlashingProtectionDecision {
        let key = SQLiteValue.blob(publicKey.bytes)
        return try transaction { (transaction) throws(SlashingProtectionError) -> SlashingProtectionDecision in
            var history = try Self.loadHistory(transaction, key)
            let decision = history.recordAttestation(source: source, target: target, signingRoot: signingRoot)
            guard decision == .allowed else { return decision }
            try Self.wrap { () throws(SQLiteError) in
                try transaction.run(
                    "INSERT INTO signed_attestations (pubkey, source_epoch, target_epoch, signing_root) VALUES (?, ?, ?, ?)",
                    [key, Self.sortable(source.rawValue), Self.sortable(target.rawValue), .blob(signingRoot.bytes)])
            }
            return decision
        }
    }

    /// The history the checks of `publicKey` run against (the newest records plus the folded
    /// older ones; see the type's documentation).
    public func history(publicKey: PublicKey) throws(SlashingProtectionError) -> SlashingProtectionHistory {
        try transaction(immediate: false) { (transaction) throws(SlashingProtectionError) in
            try Self.loadHistory(transaction, .blob(publicKey.bytes))
        }
    }

    /// Loads a validator's history, bounded: the newest `historyLoadCountMax` records of each
    /// kind, and the older ones folded into one record without a signing root.
    private static func loadHistory(_ transaction: SQLiteTransaction, _ key: SQLiteValue) throws(SlashingProtectionError) -> SlashingProtectionHistory {
        let limit = SQLiteValue.integer(Int64(historyLoadCountMax + 1))
        let blockRows = try wrap { () throws(SQLiteError) in
            try transaction.query(
                "SELECT slot, signing_root FROM signed_blocks WHERE pubkey = ? ORDER BY slot DESC LIMIT ?", [key, limit])
        }
        var blocks: [SignedBlockRecord] = []
        for (index, row) in blockRows.enumerated() {
            let folded = index == historyLoadCountMax
            let (slot, root) = try wrap { () throws(SQLiteError) in (try row.int64(0), try row.optionalBlob(1)) }
            blocks.append(SignedBlockRecord(slot: Slot(unsortable(slot)), signingRoot: folded ? nil : try signingRoot(root)))
        }
        let attestationRows = try wrap { () throws(SQLiteError) in
            try transaction.query(
                """
                SELECT source_epoch, target_epoch, signing_root FROM signed_attestations WHERE pubkey = ? \
                ORDER BY target_epoch DESC LIMIT ?
                """, [key, limit])
        }
        var attestations: [SignedAttestationRecord] = []
        for (index, row) in attestationRows.enumerated() {
            let (source, target, root) = try wrap { () throws(SQLiteError) in
                (try row.int64(0), try row.int64(1), try row.optionalBlob(2))
            }
            guard index == historyLoadCountMax else {
                attestations.append(SignedAttestationRecord(
                    sourceEpoch: Epoch(unsortable(source)), targetEpoch: Epoch(unsortable(target)), signingRoot: try signingRoot(root)))
                continue
            }
            // The folded record: the highest older target (this row's) and the highest older source.
            let sourceMax = try wrap { () throws(SQLiteError) in
                try transaction.query(
                    "SELECT max(source_epoch) FROM signed_attestations WHERE pubkey = ? AND target_epoch <= ?",
                    [key, .integer(target)]
                ).first?.int64(0) ?? source
            }
            attestations.append(SignedAttestationRecord(
                sourceEpoch: Epoch(unsortable(max(sourceMax, source))), targetEpoch: Epoch(unsortable(target)), signingRoot: nil))
        }
        precondition(blocks.count <= historyLoadCountMax + 1 && attestations.count <= historyLoadCountMax + 1, "a bounded load")
        return SlashingProtectionHistory(blocks: blocks, attestations: attestations, recordCountMax: historyLoadCountMax + 1)
    }

    private static func signingRoot(_ bytes: [UInt8]?) throws(SlashingProtectionError) -> Root? {
        guard let bytes else { return nil }
        guard let root = Root(bytes: bytes) else { throw .corrupt("a signing root is \(bytes.count) bytes, not 32") }
        return root
    }

    // MARK: Interchange (EIP-3076)

    /// Every record, as an EIP-3076 interchange value ("complete" format): validators by key
    /// bytes, blocks by slot, attestations by target epoch.
    public func exportInterchange() throws(SlashingProtectionError) -> SlashingProtectionInterchange {
        try transaction(immediate: false) { (transaction) throws(SlashingProtectionError) -> SlashingProtectionInterchange in
            let keyRows = try Self.wrap { () throws(SQLiteError) in
                try transaction.query(
                    "SELECT pubkey FROM signed_blocks UNION SELECT pubkey FROM signed_attestations ORDER BY pubkey")
            }
            var data: [SlashingProtectionInterchange.Entry] = []
            for row in keyRows {
                let keyBytes = try Self.wrap { () throws(SQLiteError) in try row.blob(0) }
                guard let publicKey = PublicKey(bytes: keyBytes) else {
                    throw .corrupt("a stored public key (\(keyBytes.count) bytes) is not a valid x-only key")
                }
                data.append(try Self.exportEntry(transaction, publicKey))
            }
            return SlashingProtectionInterchange(genesisValidatorsRoot: genesisRoot, data: data)
        }
    }

    private static func exportEntry(_ transaction: SQLiteTransaction, _ publicKey: PublicKey) throws(SlashingProtectionError) -> SlashingProtectionInterchange.Entry {
        let key = SQLiteValue.blob(publicKey.bytes)
        let (blockRows, attestationRows) = try wrap { () throws(SQLiteError) in
            (
                try transaction.query("SELECT slot, signing_root FROM signed_blocks WHERE pubkey = ? ORDER BY slot", [key]),
                try transaction.query(
                    "SELECT source_epoch, target_epoch, signing_root FROM signed_attestations WHERE pubkey = ? ORDER BY target_epoch",
                    [key])
            )
        }
        var blocks: [SignedBlockRecord] = []
        for row in blockRows {
            let (slot, root) = try wrap { () throws(SQLiteError) in (try row.int64(0), try row.optionalBlob(1)) }
            blocks.append(SignedBlockRecord(slot: Slot(unsortable(slot)), signingRoot: try signingRoot(root)))
        }
        var attestations: [SignedAttestationRecord] = []
        for row in attestationRows {
            let (source, target, root) = try wrap { () throws(SQLiteError) in (try row.int64(0), try row.int64(1), try row.optionalBlob(2)) }
            attestations.append(SignedAttestationRecord(
                sourceEpoch: Epoch(unsortable(source)), targetEpoch: Epoch(unsortable(target)), signingRoot: try signingRoot(root)))
        }
        return SlashingProtectionInterchange.Entry(publicKey: publicKey, signedBlocks: blocks, signedAttestations: attestations)
    }

    /// What an import added.
    public struct ImportSummary: Hashable, Sendable {
        /// Validators in the file.
        public var validatorCount: Int
        /// Block records added (records already present, by key and slot, are kept as they are).
        public var blocksAdded: Int
        /// Attestation records added (by key and target epoch).
        public var attestationsAdded: Int
    }

    /// Imports an interchange file, all or nothing, with EIP-3076's conservative semantics.
    ///
    /// Rules:
    /// - The file's `genesis_validators_root` must be this database's genesis root (else
    ///   `interchange(genesisMismatch)`, nothing imported). The format version and every
    ///   value were checked when the file was parsed.
    /// - Records are merged by union: each block record is added unless one for the same key and
    ///   slot is stored; each attestation record unless one for the same key and target epoch
    ///   is. A record that conflicts with the database (another signing root for the same slot
    ///   or target, or a surround vote) is *absorbed*, not refused: the union holds both sides,
    ///   and the pure rules refuse every message slashable against either, so an import can
    ///   never make a slashable signature possible. A stored record wins a same-key clash; if
    ///   either side has no signing root, nothing at that slot or target can be re-signed.
    /// - The EIP's low watermarks (no block at or below the lowest slot, no source below the
    ///   lowest source, no target at or below the lowest target) follow from the union: the
    ///   pure rules refuse any block not after the latest slot and apply the attestation
    ///   minimums to all records, imported or not.
    ///
    /// - Returns: What was added.
    /// - Throws: `interchange(genesisMismatch)`, or `sqlite` (then nothing was imported).
    @discardableResult
    public func importInterchange(_ interchange: SlashingProtectionInterchange) throws(SlashingProtectionError) -> ImportSummary {
        guard interchange.genesisValidatorsRoot == genesisRoot else {
            throw .interchange(InterchangeError(
                field: "metadata.genesis_validators_root",
                reason: .genesisMismatch(file: interchange.genesisValidatorsRoot, expected: genesisRoot)))
        }
        return try transaction { (transaction) throws(SlashingProtectionError) -> ImportSummary in
            var summary = ImportSummary(validatorCount: Set(interchange.data.map(\.publicKey)).count, blocksAdded: 0, attestationsAdded: 0)
            for entry in interchange.data {
                let key = SQLiteValue.blob(entry.publicKey.bytes)
                for block in entry.signedBlocks {
                    summary.blocksAdded += try Self.insertIgnoring(
                        transaction, "INSERT OR IGNORE INTO signed_blocks (pubkey, slot, signing_root) VALUES (?, ?, ?)",
                        [key, Self.sortable(block.slot.rawValue), block.signingRoot.map { .blob($0.bytes) } ?? .null])
                }
                for attestation in entry.signedAttestations {
                    precondition(attestation.sourceEpoch <= attestation.targetEpoch, "parsing refused source after target")
                    summary.attestationsAdded += try Self.insertIgnoring(
                        transaction,
                        "INSERT OR IGNORE INTO signed_attestations (pubkey, source_epoch, target_epoch, signing_root) VALUES (?, ?, ?, ?)",
                        [
                            key, Self.sortable(attestation.sourceEpoch.rawValue), Self.sortable(attestation.targetEpoch.rawValue),
                            attestation.signingRoot.map { .blob($0.bytes) } ?? .null,
                        ])
                }
            }
            return summary
        }
    }

    private static func insertIgnoring(_ transaction: SQLiteTransaction, _ sql: String, _ values: [SQLiteValue]) throws(SlashingProtectionError) -> Int {
        try wrap { () throws(SQLiteError) in
            try transaction.run(sql, values)
            return Int(try transaction.changes())
        }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file.
    public func integrityCheck() throws(SlashingProtectionError) -> String {
        try Self.wrap { () throws(SQLiteError) in try database.integrityCheck() }
    }

    // MARK: Helpers

    private func transaction<Result>(
        immediate: Bool = true, _ body: (SQLiteTransaction) throws(SlashingProtectionError) -> Result
    ) throws(SlashingProtectionError) -> Result {
        // The body's own errors cannot cross `inTransaction` (typed SQLiteError), so they are
        // carried out in `failure`, after forcing a rollback with a sentinel SQLite error.
        var failure: SlashingProtectionError?
        let sentinel = SQLiteError(code: 0, message: "aborted by the slashing protection body", context: "rollback")
        do throws(SQLiteError) {
            return try database.inTransaction(immediate: immediate) { (transaction) throws(SQLiteError) -> Result in
                do throws(SlashingProtectionError) { return try body(transaction) } catch {
                    failure = error
                    throw sentinel
                }
            }
        } catch {
            if let failure { throw failure }
            throw .sqlite(error)
        }
    }

    /// An order-preserving map of `UInt64` onto SQLite's `Int64`.
    static func sortable(_ value: UInt64) -> SQLiteValue {
        .integer(Int64(bitPattern: value ^ (1 << 63)))
    }

    /// The inverse of ``sortable(_:)``.
    static func unsortable(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: value) ^ (1 << 63)
    }

    private static func wrap<Result>(_ body: () throws(SQLiteError) -> Result) throws(SlashingProtectionError) -> Result {
        do { return try body() } catch { throw .sqlite(error) }
    }
}
