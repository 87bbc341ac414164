import KeelChain

/// Why a validator keys file was rejected, or does not fit a genesis file.
///
/// A struct rather than a bare enum for the same reason as ``GenesisFileError``: every rejection
/// shares two locators, the file and the field inside it (`keys[2].secret_key`); the closed set
/// of causes is ``Reason``. The description is one line, `path: field: reason`, so `keel node`
/// can print it as a usage error that names exactly what to fix.
public struct ValidatorKeysFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, independent of where.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// The file could not be read (the operating system's reason).
        case cannotRead(String)
        /// The file could not be written (the operating system's reason).
        case cannotWrite(String)
        /// The file is larger than ``ValidatorKeysFile/byteCountMax``; refused before parsing.
        case tooLarge(byteCount: UInt64, limit: UInt64)
        /// The bytes are not JSON of the expected shape (the parser's reason).
        case notJSON(String)
        /// A required field is absent.
        case missing
        /// A field this version of the format does not define (a typo would otherwise be
        /// silently ignored).
        case unknownField
        /// A field holds the wrong JSON type or an unreadable value.
        case wrongType(expected: String)
        /// `version` is not one this build reads.
        case unsupportedVersion(UInt64)
        /// `keys` is an empty list: a node given a keys file means to run validators.
        case noKeys
        /// More entries than ``ValidatorKeysFile/keyCountMax``.
        case tooManyKeys(count: Int, limit: Int)
        /// Not an even number of hex digits (optionally after `0x`).
        case notHex
        /// Hex of the wrong length.
        case wrongByteCount(expected: Int, actual: Int)
        /// 32 bytes that are not a secp256k1 secret key (zero, or not below the group order).
        case invalidSecretKey
        /// The index already appears in an earlier entry.
        case repeatedIndex(firstEntry: Int)
        /// The index is not a validator of the genesis file.
        case indexOutOfRange(validatorCount: Int)
        /// The key's public key is not the one genesis registered at that index.
        case publicKeyMismatch(expected: String, actual: String)
        /// The RANDAO chain rebuilt from the key does not open the commitment genesis
        /// registered at that index, so the validator could never propose.
        case randaoCommitmentMismatch

        public var description: String {
            switch self {
            case let .cannotRead(reason): return "cannot read: \(reason)"
            case let .cannotWrite(reason): return "cannot write: \(reason)"
            case let .tooLarge(byteCount, limit): return "file is \(byteCount) bytes, above the limit of \(limit)"
            case let .notJSON(reason): return "not a JSON validator keys file: \(reason)"
            case .missing: return "missing field"
            case .unknownField: return "unknown field (not part of validator keys file version \(ValidatorKeysFile.version))"
            case let .wrongType(expected): return "expected \(expected)"
            case let .unsupportedVersion(version):
                return "unsupported validator keys file version \(version) (this build reads version \(ValidatorKeysFile.version))"
            case .noKeys: return "no keys: list at least one validator"
            case let .tooManyKeys(count, limit): return "\(count) keys, above the limit of \(limit)"
            case .notHex: return "not hex (an even number of hex digits, optionally prefixed with 0x)"
            case let .wrongByteCount(expected, actual): return "expected \(expected) bytes of hex, got \(actual)"
            case .invalidSecretKey: return "not a valid secp256k1 secret key (zero or not below the group order)"
            case let .repeatedIndex(firstEntry): return "index repeated (already keys[\(firstEntry)])"
            case let .indexOutOfRange(validatorCount):
                return "not a validator of this genesis (it has \(validatorCount) validators)"
            case let .publicKeyMismatch(expected, actual):
                return "the key's public key \(actual) is not genesis's validator key \(expected)"
            case .randaoCommitmentMismatch:
                return "the RANDAO chain derived from this key does not match genesis's randao commitment"
            }
        }
    }

    /// The file read, when there is one.
    public var path: String?
    /// The field inside the file, such as `keys[2].secret_key`; nil for the file as a whole.
    public var field: String?
    /// What is wrong.
    public var reason: Reason

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - path: The file, if any.
    ///   - field: The field path, if the problem is in one field.
    ///   - reason: What is wrong.
    public init(path: String? = nil, field: String? = nil, reason: Reason) {
        self.path = path
        self.field = field
        self.reason = reason
    }

    /// `path: field: reason`, leaving out the parts that are absent; always one line.
    public var description: String {
        [path, field, reason.description].compactMap { $0 }.joined(separator: ": ")
    }
}
