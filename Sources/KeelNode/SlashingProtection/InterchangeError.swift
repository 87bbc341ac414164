import KeelChain
import KeelCrypto

/// Why an EIP-3076 interchange file was rejected. One line: `field: reason`.
public struct InterchangeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// The bytes are not JSON of the expected shape (the parser's reason).
        case notJSON(String)
        /// The file is larger than ``SlashingProtectionInterchange/byteCountMax``.
        case tooLarge(byteCount: Int, limit: Int)
        /// A required field is absent.
        case missing
        /// A field holds the wrong JSON type.
        case wrongType(expected: String)
        /// `interchange_format_version` is not "5".
        case unsupportedVersion(String)
        /// `genesis_validators_root` is not this chain's genesis root.
        case genesisMismatch(file: Root, expected: Root)
        /// Not `0x`-prefixed hex.
        case notHex
        /// A 48-byte key: an Ethereum BLS key, while Keel signs with 32-byte x-only keys.
        case blsPublicKey
        /// Hex of the wrong length.
        case wrongByteCount(expected: Int, actual: Int)
        /// 32 bytes that are not a BIP-340 x-only public key.
        case invalidPublicKey
        /// Not a decimal `u64` in a string, as EIP-3076 writes numbers.
        case notDecimalString
        /// An attestation whose source epoch is after its target epoch.
        case sourceAfterTarget
        /// More entries than the importer accepts.
        case tooMany(limit: Int)

        public var description: String {
            switch self {
            case .notJSON(let reason): return "not an EIP-3076 interchange file: \(reason)"
            case let .tooLarge(byteCount, limit): return "file is \(byteCount) bytes, above the limit of \(limit)"
            case .missing: return "missing field"
            case .wrongType(let expected): return "expected \(expected)"
            case .unsupportedVersion(let version):
                return "unsupported interchange_format_version \"\(version)\" (this build reads \"\(SlashingProtectionInterchange.formatVersion)\")"
            case let .genesisMismatch(file, expected):
                return "genesis_validators_root \(file.hex) is not this chain's genesis root \(expected.hex)"
            case .notHex: return "not 0x-prefixed hex"
            case .blsPublicKey: return "a 48-byte BLS public key; Keel validators use 32-byte x-only secp256k1 keys"
            case let .wrongByteCount(expected, actual): return "expected \(expected) bytes of hex, got \(actual)"
            case .invalidPublicKey: return "not a valid secp256k1 x-only public key"
            case .notDecimalString: return "expected a decimal u64 in a JSON string, as EIP-3076 writes numbers"
            case .sourceAfterTarget: return "source_epoch is after target_epoch"
            case .tooMany(let limit): return "more than \(limit) entries"
            }
        }
    }

    /// The field, as a path such as `data[2].signed_blocks[0].slot`; nil for the whole file.
    public var field: String?
    /// What is wrong.
    public var reason: Reason

    /// An error at `field`.
    public init(field: String? = nil, reason: Reason) {
        self.field = field
        self.reason = reason
    }

    /// `field: reason`, or just the reason for the whole file.
    public var description: String {
        field.map { "\($0): \(reason)" } ?? reason.description
    }
}
