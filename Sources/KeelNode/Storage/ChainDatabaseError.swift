import KeelChain
import KeelCrypto

/// Why the chain database refused to open, or a read or write failed.
///
/// A closed enum (STYLE.md item 9): the set of failures is fixed by the schema. Lower-layer
/// errors are wrapped as cases, never as `any Error`.
public enum ChainDatabaseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// SQLite failed (I/O, a full disk, a locked or damaged file).
    case sqlite(SQLiteError)
    /// The file was created by another genesis: a node must not mix two chains' data.
    case genesisMismatch(path: String, stored: Root, expected: Root)
    /// The file's schema version (`PRAGMA user_version`) is not one this build reads.
    case unsupportedSchemaVersion(path: String, found: Int64, supported: Int64)
    /// A stored row does not decode, or decodes to something other than its key says: the file
    /// was damaged or written by something else.
    case corrupt(String)
    /// A slot that SQLite's signed 64-bit integers cannot order (above `Int64.max`).
    case slotOutOfRange(Slot)

    /// One line naming what went wrong.
    public var description: String {
        switch self {
        case .sqlite(let error): return "chain database: \(error)"
        case let .genesisMismatch(path, stored, expected):
            return "chain database \(path) belongs to genesis \(stored.hex), not \(expected.hex): use another data directory"
        case let .unsupportedSchemaVersion(path, found, supported):
            return "chain database \(path) has schema version \(found); this build reads version \(supported)"
        case .corrupt(let reason): return "chain database is corrupt: \(reason)"
        case .slotOutOfRange(let slot): return "slot \(slot) is above the storable maximum \(Int64.max)"
        }
    }
}
