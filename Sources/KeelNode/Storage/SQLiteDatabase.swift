import CSQLite
import Foundation

/// A value bound to, or read from, an SQL statement. Keel stores only these four kinds.
public enum SQLiteValue: Hashable, Sendable {
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case null
}

/// One result row, with typed accessors that throw instead of guessing when a column holds
/// another type than expected (a damaged or foreign database).
public struct SQLiteRow: Hashable, Sendable {
    /// The columns, in the order of the `SELECT`.
    public var values: [SQLiteValue]

    /// The integer in column `index`.
    ///
    /// - Throws: ``SQLiteError`` (`SQLITE_MISMATCH`) if the column is not an integer.
    public func int64(_ index: Int) throws(SQLiteError) -> Int64 {
        guard case .integer(let value) = try column(index) else { throw mismatch(index, "integer") }
        return value
    }

    /// The blob in column `index` (an empty blob reads as `[]`).
    ///
    /// - Throws: ``SQLiteError`` (`SQLITE_MISMATCH`) if the column is not a blob.
    public func blob(_ index: Int) throws(SQLiteError) -> [UInt8] {
        guard case .blob(let value) = try column(index) else { throw mismatch(index, "blob") }
        return value
    }

    /// The blob in column `index`, or nil for SQL `NULL`.
    ///
    /// - Throws: ``SQLiteError`` (`SQLITE_MISMATCH`) if the column is neither.
    public func optionalBlob(_ index: Int) throws(SQLiteError) -> [UInt8]? {
        if case .null = try column(index) { return nil }
        return try blob(index)
    }

    /// The text in column `index`.
    ///
    /// - Throws: ``SQLiteError`` (`SQLITE_MISMATCH`) if the column is not text.
    public func text(_ index: Int) throws(SQLiteError) -> String {
        guard case .text(let value) = try column(index) else { throw mismatch(index, "text") }
        return value
    }

    private func column(_ index: Int) throws(SQLiteError) -> SQLiteValue {
        guard values.indices.contains(index) else {
            throw SQLiteError(code: SQLITE_RANGE, message: "no column \(index) in a row of \(values.count)", context: "read row")
        }
        return values[index]
    }

    private func mismatch(_ index: Int, _ expected: String) -> SQLiteError {
        SQLiteError(code: SQLITE_MISMATCH, message: "column \(index) is \(values[index]), not \(expected)", context: "read row")
    }
}

/// A small, safe wrapper over one SQLite connection: WAL journal, a chosen `synchronous`
/// level, a busy timeout, cached prepared statements with typed binding, and transactions that
/// roll back when their body throws.
///
/// Every statement runs inside ``inTransaction(_:)``, which holds the connection's lock for the
/// whole transaction, so that no two threads ever interleave statements on the one connection
/// (SQLite is opened `NOMUTEX`: this lock is the only serialisation).
///
/// - Important: `@unchecked Sendable` because all mutable state (the connection handle and the
///   statement cache) is touched only while `lock` is held. A ``SQLiteTransaction`` must not
///   escape its body.
public final class SQLiteDatabase: @unchecked Sendable {
    /// How hard SQLite works to make a commit durable (PRAGMA `synchronous`), in WAL mode.
    public enum Synchronous: String, Sendable {
        /// The WAL is synced at checkpoints only: a commit is atomic and the database stays
        /// consistent across a crash, but the last commits before a power loss (not a process
        /// kill: the OS still holds them) may be rolled back.
        case normal = "NORMAL"
        /// The WAL is synced on every commit: once a commit returns it survives power loss.
        case full = "FULL"
    }

    /// How long a statement waits for another connection's lock before failing with
    /// `SQLITE_BUSY`, by default.
    public static let busyTimeoutMsDefault: Int32 = 5_000
    /// The most distinct statements cached per connection (STYLE.md item 13); Keel's stores
    /// use a few dozen.
    public static let statementCacheCountMax = 128

    /// The file opened.
    public let path: String
    /// The durability level chosen at open.
    public let synchronous: Synchronous
    private let lock = NSLock()
    /// nil once closed.
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    /// Opens (creating if needed) the database at `path` in WAL mode.
    ///
    /// - Parameters:
    ///   - path: The database file; its directory must exist.
    ///   - synchronous: The durability level (see ``Synchronous``).
    ///   - busyTimeoutMs: How long to wait for another connection's lock.
    /// - Throws: ``SQLiteError`` if the file cannot be opened, is not a database, or refuses
    ///   WAL mode.
    public init(path: String, synchronous: Synchronous, busyTimeoutMs: Int32 = busyTimeoutMsDefault) throws(SQLiteError) {
        precondition(busyTimeoutMs >= 0, "a timeout cannot be negative")
        self.path = path
        self.synchronous = synchronous
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(opened)
            throw SQLiteError(code: status, message: message, context: "open \(path)")
        }
        handle = opened
        sqlite3_extended_result_codes(opened, 1)
        sqlite3_busy_timeout(opened, busyTimeoutMs)
        do throws(SQLiteError) {
            // journal_mode answers with the mode in force; anything but "wal" (an in-memory or
            // read-only file) would silently lose the crash guarantees documented above.
            let mode = try withLock { () throws(SQLiteError) in try query("PRAGMA journal_mode=WAL", []) }
            guard let row = mode.first, (try? row.text(0).lowercased()) == "wal" else {
                throw SQLiteError(code: SQLITE_CANTOPEN, message: "WAL journal mode refused (got \(mode))", context: "open \(path)")
            }
            try withLock { () throws(SQLiteError) in
                _ = try query("PRAGMA synchronous=\(synchronous.rawValue)", [])
                _ = try query("PRAGMA foreign_keys=ON", [])
            }
        } catch {
            close()
            throw error
        }
        precondition(handle != nil, "an opened database has a handle")
    }

    deinit {
        close()
    }

    /// Finalizes every statement and closes the connection; later calls throw `SQLITE_MISUSE`.
    /// Closing twice is harmless.
    public func close() {
        lock.lock()
        defer { lock.unlock() }
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs `body` inside one transaction: commits when it returns, rolls back when it throws.
    ///
    /// - Parameters:
    ///   - immediate: Whether to take the write lock at `BEGIN` (`BEGIN IMMEDIATE`), so that a
    ///     read-then-write transaction can never fail half-way with `SQLITE_BUSY`. Pass false
    ///     for read-only work.
    ///   - body: The statements; it must not keep the transaction.
    /// - Returns: What `body` returns.
    /// - Throws: ``SQLiteError`` from `BEGIN`, `COMMIT`, or the body.
    /// - Important: Not re-entrant: calling it again from inside `body` deadlocks.
    public func inTransaction<Result>(
        immediate: Bool = true, _ body: (SQLiteTransaction) throws(SQLiteError) -> Result
    ) throws(SQLiteError) -> Result {
        try withLock { () throws(SQLiteError) -> Result in
            _ = try query(immediate ? "BEGIN IMMEDIATE" : "BEGIN", [])
            let result: Result
            do throws(SQLiteError) {
                result = try body(SQLiteTransaction(database: self))
                _ = try query("COMMIT", [])
            } catch {
                // A failed COMMIT may already have ended the transaction; ROLLBACK then
                // reports "no transaction is active", which is nothing to act on.
                if sqlite3_get_autocommit(handle) == 0 { _ = try? query("ROLLBACK", []) }
                throw error
            }
            precondition(sqlite3_get_autocommit(handle) != 0, "no transaction stays open after a commit")
            return result
        }
    }

    /// `PRAGMA user_version`: the schema version a store keeps in the file header.
    public func userVersion() throws(SQLiteError) -> Int64 {
        try withLock { () throws(SQLiteError) in try query("PRAGMA user_version", []).first?.int64(0) ?? 0 }
    }

    /// `PRAGMA integrity_check`: "ok" for a sound file, otherwise SQLite's findings, one per line.
    public func integrityCheck() throws(SQLiteError) -> String {
        try withLock { () throws(SQLiteError) in
            try query("PRAGMA integrity_check", []).map { row throws(SQLiteError) in try row.text(0) }.joined(separator: "\n")
        }
    }

    private func withLock<Result>(_ body: () throws(SQLiteError) -> Result) throws(SQLiteError) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs one statement with `bindings` and returns every row. Called with `lock` held.
    fileprivate func query(_ sql: String, _ bindings: [SQLiteValue]) throws(SQLiteError) -> [SQLiteRow] {
        guard let handle else { throw SQLiteError(code: SQLITE_MISUSE, message: "database is closed", context: sql) }
        let statement = try prepared(sql, handle)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try bind(bindings, to: statement, handle, sql)
        var rows: [SQLiteRow] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error(status, handle, sql) }
            rows.append(Self.row(statement))
        }
        return rows
    }

    private func prepared(_ sql: String, _ handle: OpaquePointer) throws(SQLiteError) -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status, handle, sql) }
        if statements.count >= Self.statementCacheCountMax {
            for cached in statements.values { sqlite3_finalize(cached) }
            statements.removeAll()
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ values: [SQLiteValue], to statement: OpaquePointer, _ handle: OpaquePointer, _ sql: String) throws(SQLiteError) {
        let expected = Int(sqlite3_bind_parameter_count(statement))
        guard expected == values.count else {
            throw SQLiteError(code: SQLITE_RANGE, message: "\(values.count) values for \(expected) parameters", context: sql)
        }
        // SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (offset, value) in values.enumerated() {
            let position = Int32(offset + 1)
            let status: Int32
            switch value {
            case .integer(let integer): status = sqlite3_bind_int64(statement, position, integer)
            case .text(let text): status = sqlite3_bind_text(statement, position, text, -1, transient)
            case .null: status = sqlite3_bind_null(statement, position)
            case .blob(let bytes):
                // A zero-length blob must still bind as a blob, not NULL, so pass a non-nil pointer.
                status = bytes.isEmpty
                    ? sqlite3_bind_zeroblob(statement, position, 0)
                    : bytes.withUnsafeBytes { sqlite3_bind_blob(statement, position, $0.baseAddress, Int32($0.count), transient) }
            }
            guard status == SQLITE_OK else { throw error(status, handle, sql) }
        }
    }

    private static func row(_ statement: OpaquePointer) -> SQLiteRow {
        let count = sqlite3_column_count(statement)
        var values: [SQLiteValue] = []
        values.reserveCapacity(Int(count))
        for column in 0..<count {
            switch sqlite3_column_type(statement, column) {
            case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(statement, column)))
            case SQLITE_NULL: values.append(.null)
            case SQLITE_TEXT:
                values.append(.text(sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""))
            default:
                // Blobs (and floats, which Keel never writes, read as their bytes of text).
                let byteCount = Int(sqlite3_column_bytes(statement, column))
                let base = sqlite3_column_blob(statement, column)
                values.append(.blob(base.map { Array(UnsafeRawBufferPointer(start: $0, count: byteCount)) } ?? []))
            }
        }
        return SQLiteRow(values: values)
    }

    private func error(_ status: Int32, _ handle: OpaquePointer, _ sql: String) -> SQLiteError {
        SQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), context: sql)
    }
}

/// The statements of one transaction of a ``SQLiteDatabase``; valid only inside the
/// `inTransaction` body it was passed to.
public struct SQLiteTransaction {
    fileprivate let database: SQLiteDatabase

    /// Runs a statement that returns no rows (`INSERT`, `UPDATE`, `DELETE`, DDL).
    ///
    /// - Parameters:
    ///   - sql: One statement with `?` parameters.
    ///   - bindings: One value per parameter.
    /// - Throws: ``SQLiteError``.
    public func run(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) {
        _ = try database.query(sql, bindings)
    }

    /// Runs a statement and returns its rows.
    ///
    /// - Parameters:
    ///   - sql: One statement with `?` parameters.
    ///   - bindings: One value per parameter.
    /// - Returns: Every row, in the statement's order.
    /// - Throws: ``SQLiteError``.
    public func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SQLiteError) -> [SQLiteRow] {
        try database.query(sql, bindings)
    }

    /// The rows changed by the last `INSERT`, `UPDATE` or `DELETE`.
    public func changes() throws(SQLiteError) -> Int64 {
        try database.query("SELECT changes()", []).first?.int64(0) ?? 0
    }
}
