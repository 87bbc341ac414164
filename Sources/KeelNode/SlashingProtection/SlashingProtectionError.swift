import KeelChain
import KeelCrypto

/// Why the slashing-protection database could not open, decide, import or export.
///
/// A refusal to sign is *not* an error: it is a ``KeelConsensus/SlashingProtectionDecision``.
/// These are failures to reach a decision, and a validator client that gets one must not sign.
public enum SlashingProtectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// SQLite failed (I/O, a full disk, a locked or damaged file).
    case sqlite(SQLiteError)
    /// The file was created for another genesis.
    case genesisMismatch(path: String, stored: Root, expected: Root)
    /// The file's schema version is not one this build reads.
    case unsupportedSchemaVersion(path: String, found: Int64, supported: Int64)
    /// A stored row is malformed (a key or root of the wrong size).
    case corrupt(String)
    /// An interchange file was rejected; nothing was imported.
    case interchange(InterchangeError)

    /// One line naming what went wrong.
    public var description: String {
        switch self {
        case .sqlite(let error): return "slashing protection database: \(error)"
        case let .genesisMismatch(path, stored, expected):
            return "slashing protection database \(path) belongs to genesis \(stored.hex), not \(expected.hex)"
        case let .unsupportedSchemaVersion(path, found, supported):
            return "slashing protection database \(path) has schema version \(found); this build reads version \(supported)"
        case .corrupt(let reason): return "slashing protection database is corrupt: \(reason)"
        case .interchange(let error): return error.description
        }
    }
}
