import KeelChain

/// Why a database file that belongs to one chain could not be opened for it.
enum GenesisBoundOpenError: Error {
    case sqlite(SQLiteError)
    case unsupportedSchemaVersion(found: Int64)
    case corrupt(String)
    case genesisMismatch(stored: Root)
}

extension SQLiteDatabase {
    /// Opens a database file that belongs to one chain, as the chain and slashing-protection
    /// databases both do. A new file gets a `meta` table holding `genesis_root`, the caller's
    /// tables (`createTables`) and `user_version = schemaVersion`, in one transaction; an
    /// existing file must hold the same schema version and genesis root, or it is closed and
    /// refused.
    static func openGenesisBound(
        path: String, synchronous: Synchronous, genesisRoot: Root, schemaVersion: Int64,
        createTables: (SQLiteTransaction) throws(SQLiteError) -> Void
    ) throws(GenesisBoundOpenError) -> SQLiteDatabase {
        let database: SQLiteDatabase
        do { database = try SQLiteDatabase(path: path, synchronous: synchronous) } catch { throw .sqlite(error) }
        // What the file held: nil if it was new (and now has the schema), else its version and
        // its genesis root (read only when the version is ours).
        let found: (version: Int64, genesisRoot: [UInt8]?)?
        do {
            found = try database.inTransaction { (transaction) throws(SQLiteError) -> (version: Int64, genesisRoot: [UInt8]?)? in
                let version = try transaction.query("PRAGMA user_version").first?.int64(0) ?? 0
                let tableCount = try transaction.query("SELECT count(*) FROM sqlite_master").first?.int64(0) ?? 0
                if version == 0 && tableCount == 0 {
                    try transaction.run("CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
                    try createTables(transaction)
                    try transaction.run("INSERT INTO meta (key, value) VALUES ('genesis_root', ?)", [.blob(genesisRoot.bytes)])
                    try transaction.run("PRAGMA user_version = \(schemaVersion)")
                    return nil
                }
                guard version == schemaVersion else { return (version, nil) }
                let root = try transaction.query("SELECT value FROM meta WHERE key = 'genesis_root'").first?.blob(0)
                return (version, root ?? [])
            }
        } catch {
            database.close()
            throw .sqlite(error)
        }
        guard let found else { return database }
        guard found.version == schemaVersion, let stored = found.genesisRoot else {
            database.close()
            throw .unsupportedSchemaVersion(found: found.version)
        }
        guard let root = Root(bytes: stored) else {
            database.close()
            throw .corrupt("meta.genesis_root is \(stored.count) bytes, not 32")
        }
        guard root == genesisRoot else {
            database.close()
            throw .genesisMismatch(stored: root)
        }
        return database
    }
}
