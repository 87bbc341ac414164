import CSQLite

/// A failure reported by SQLite, or a misuse of ``SQLiteDatabase`` caught before reaching it.
///
/// A struct, not an enum (STYLE.md item 9): SQLite's result codes are an open set, so the
/// error carries the extended code as a number plus SQLite's own message and what Keel was
/// doing when it failed. The description is one line, for logs and the command line.
public struct SQLiteError: Error, Hashable, Sendable, CustomStringConvertible {
    /// SQLite's extended result code (`SQLITE_BUSY`, `SQLITE_CORRUPT`, ...; see sqlite.org/rescode.html).
    public var code: Int32
    /// SQLite's message (`sqlite3_errmsg`), or Keel's when it caught the problem first.
    public var message: String
    /// What was being done: the statement or step that failed.
    public var context: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: An SQLite result code.
    ///   - message: The reason.
    ///   - context: The operation that failed.
    public init(code: Int32, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// The primary result code (the low byte of the extended code).
    public var primaryCode: Int32 { code & 0xFF }

    /// Whether the database file is damaged (`SQLITE_CORRUPT` or `SQLITE_NOTADB`).
    public var isCorruption: Bool { primaryCode == SQLITE_CORRUPT || primaryCode == SQLITE_NOTADB }

    /// One line: `sqlite error CODE (name): message [context]`.
    public var description: String {
        let name = String(cString: sqlite3_errstr(code))
        return "sqlite error \(code) (\(name)): \(message) [\(context)]"
    }
}
