import KeelCrypto
import KeelVM

/// Why a genesis file (or the programs directory a devnet genesis is built from) was rejected.
///
/// A struct rather than an enum because every rejection shares the same two locators, the file
/// and the field inside it; the closed set of causes is ``Reason``. The description is one line,
/// `path: field: reason`, so the command line can print it as a usage error and a node's log
/// names exactly what to fix.
public struct GenesisFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, independent of where.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// The file could not be read (the operating system's reason).
        case cannotRead(String)
        /// The file could not be written (the operating system's reason).
        case cannotWrite(String)
        /// The file is larger than ``GenesisFile/byteCountMax``; refused before parsing.
        case tooLarge(byteCount: UInt64, limit: UInt64)
        /// The bytes are not a JSON object (the parser's reason).
        case notJSON(String)
        /// A required field is absent.
        case missing
        /// A field this version of the format does not define.
        case unknownField
        /// A field holds the wrong JSON type, for example a string where a number belongs.
        case wrongType(expected: String)
        /// A field's JSON value cannot be read as the type it needs (for example a negative
        /// number or one above `UInt64.max`).
        case unreadable(String)
        /// `version` is not one this build reads.
        case unsupportedVersion(UInt64)
        /// Not an even number of hex digits (optionally after `0x`).
        case notHex
        /// Hex of the wrong length.
        case wrongByteCount(expected: Int, actual: Int)
        /// 32 bytes that are not a BIP-340 x-only public key (x not on secp256k1).
        case invalidPublicKey
        /// A validator key already registered by an earlier validator.
        case duplicateValidatorKey(firstIndex: Int)
        /// A validator's `index` is not its position in the list.
        case indexMismatch(expected: Int)
        /// A number outside its allowed range; the text says which range.
        case outOfRange(String)
        /// No validator has the stake to be active at genesis, so no chain could start.
        case noActiveValidator(required: UInt64)
        /// The account or program address appears twice.
        case duplicateAddress
        /// The program name appears twice.
        case duplicateName
        /// A program name that is empty or not printable ASCII.
        case invalidName
        /// Program bytes that KeelVM's decoder rejects.
        case invalidProgram(ProgramError)
        /// `.kasm` source the assembler rejects (its message, with line and column).
        case invalidAssembly(String)
        /// `code_hash` is not SHA-256 of `code`.
        case codeHashMismatch(computed: Hash32)
        /// `genesis_root` is not the root of the config the file describes.
        case genesisRootMismatch(computed: Hash32)

        public var description: String {
            switch self {
            case let .cannotRead(reason): return "cannot read: \(reason)"
            case let .cannotWrite(reason): return "cannot write: \(reason)"
            case let .tooLarge(byteCount, limit): return "file is \(byteCount) bytes, above the limit of \(limit)"
            case let .notJSON(reason): return "not a JSON genesis file: \(reason)"
            case .missing: return "missing field"
            case .unknownField: return "unknown field (not part of genesis file version \(GenesisFile.version))"
            case let .wrongType(expected): return "expected \(expected)"
            case let .unreadable(reason): return reason
            case let .unsupportedVersion(version):
                return "unsupported genesis file version \(version) (this build reads version \(GenesisFile.version))"
            case .notHex: return "not hex (an even number of hex digits, optionally prefixed with 0x)"
            case let .wrongByteCount(expected, actual): return "expected \(expected) bytes of hex, got \(actual)"
            case .invalidPublicKey: return "not a valid secp256k1 x-only public key"
            case let .duplicateValidatorKey(firstIndex): return "duplicate validator key (already validators[\(firstIndex)])"
            case let .indexMismatch(expected): return "index must equal the position in the list, \(expected)"
            case let .outOfRange(allowed): return "out of range: \(allowed)"
            case let .noActiveValidator(required):
                return "no validator has the \(required) base units of stake needed to be active at genesis"
            case .duplicateAddress: return "duplicate address"
            case .duplicateName: return "duplicate program name"
            case .invalidName: return "a program name must be 1 to 64 printable ASCII characters, no spaces"
            case let .invalidProgram(error): return "invalid program: \(error)"
            case let .invalidAssembly(message): return message
            case let .codeHashMismatch(computed): return "does not match the code (SHA-256 of code is \(computed.hex))"
            case let .genesisRootMismatch(computed):
                return "does not match the config this file describes (computed \(computed.hex)); the file was edited or is corrupt"
            }
        }
    }

    /// The file read or written, when there is one.
    public var path: String?
    /// The field inside the file, as a path such as `validators[2].public_key`; `nil` for
    /// problems with the file as a whole.
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

    /// The same error attributed to the file at `path`.
    func at(path: String) -> GenesisFileError {
        var copy = self
        copy.path = path
        return copy
    }
}
