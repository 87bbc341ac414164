import Foundation
@testable import KeelNode
import XCTest

/// `SQLiteDatabase`: WAL mode, typed binding, transactions that roll back on throw, errors.
final class SQLiteDatabaseTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory("keel-sqlite") }
    override func tearDown() { directory = nil }

    private func open(_ synchronous: SQLiteDatabase.Synchronous = .full) throws -> SQLiteDatabase {
        try SQLiteDatabase(path: directory.path("test.sqlite"), synchronous: synchronous)
    }

    func testOpensInWALModeWithTheChosenSynchronousLevel() throws {
        for (level, expected) in [(SQLiteDatabase.Synchronous.full, Int64(2)), (.normal, 1)] {
            let database = try open(level)
            let (mode, synchronous) = try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
                (try transaction.query("PRAGMA journal_mode")[0].text(0), try transaction.query("PRAGMA synchronous")[0].int64(0))
            }
            XCTAssertEqual(mode, "wal")
            XCTAssertEqual(synchronous, expected)
            database.close()
        }
    }

    func testBindsAndReadsEveryType() throws {
        let database = try open()
        let row = try database.inTransaction { (transaction) throws(SQLiteError) in
            try transaction.run("CREATE TABLE t (i INTEGER, s TEXT, b BLOB, e BLOB, n BLOB)")
            try transaction.run(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                [.integer(Int64.min), .text("keel ✓"), .blob([0, 1, 255]), .blob([]), .null])
            return try transaction.query("SELECT i, s, b, e, n FROM t")[0]
        }
        XCTAssertEqual(try row.int64(0), Int64.min)
        XCTAssertEqual(try row.text(1), "keel ✓")
        XCTAssertEqual(try row.blob(2), [0, 1, 255])
        XCTAssertEqual(try row.blob(3), [])
        XCTAssertNil(try row.optionalBlob(4))
        XCTAssertThrowsError(try row.blob(0)) { XCTAssertEqual(($0 as? SQLiteError)?.code, 20 /* SQLITE_MISMATCH */) }
        XCTAssertThrowsError(try row.int64(9))
    }

    func testATransactionThatThrowsRollsBackEverything() throws {
        let database = try open()
        try database.inTransaction { (transaction) throws(SQLiteError) in try transaction.run("CREATE TABLE t (x INTEGER PRIMARY KEY)") }
        XCTAssertThrowsError(try database.inTransaction { (transaction) throws(SQLiteError) in
            try transaction.run("INSERT INTO t VALUES (1)")
            try transaction.run("INSERT INTO t VALUES (1)")  // primary key clash
        }) { error in
            let sqlite = error as? SQLiteError
            XCTAssertEqual(sqlite.map { $0.code & 0xFF }, 19 /* SQLITE_CONSTRAINT */)
            XCTAssertTrue(sqlite?.description.contains("INSERT INTO t") ?? false, "\(error)")
        }
        let count = try database.inTransaction(immediate: false) { (transaction) throws(SQLiteError) in
            try transaction.query("SELECT count(*) FROM t")[0].int64(0)
        }
        XCTAssertEqual(count, 0, "the first insert was rolled back with the second")
        try database.inTransaction { (transaction) throws(SQLiteError) in try transaction.run("INSERT INTO t VALUES (1)") }
    }

    func testErrorsNameTheStatementAndAreNotCrashes() throws {
        let database = try open()
        XCTAssertThrowsError(try database.inTransaction { (transaction) throws(SQLiteError) in try transaction.run("SELEC nonsense") }) {
            XCTAssertTrue("\($0)".contains("SELEC nonsense"), "\($0)")
        }
        XCTAssertThrowsError(try database.inTransaction { (transaction) throws(SQLiteError) in try transaction.run("SELECT ?", []) })
        database.close()
        database.close()
        XCTAssertThrowsError(try database.userVersion()) { XCTAssertEqual(($0 as? SQLiteError)?.code, 21 /* SQLITE_MISUSE */) }
    }

    func testRejectsAFileThatIsNotADatabase() throws {
        let path = directory.path("garbage.sqlite")
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try SQLiteDatabase(path: path, synchronous: .full)) { error in
            XCTAssertTrue((error as? SQLiteError)?.isCorruption ?? false, "\(error)")
        }
        XCTAssertThrowsError(try SQLiteDatabase(path: directory.path("missing/dir/x.sqlite"), synchronous: .full))
    }
}
