import Foundation
import KeelChain
import KeelConsensus
import KeelCrypto

/// An EIP-3076 slashing-protection interchange file, format version 5, with Keel's keys.
///
/// ```json
/// {"metadata": {"interchange_format_version": "5", "genesis_validators_root": "0x<32 bytes>"},
///  "data": [{"pubkey": "0x<32-byte x-only key>",
///            "signed_blocks": [{"slot": "123", "signing_root": "0x<32 bytes>"}],
///            "signed_attestations": [{"source_epoch": "1", "target_epoch": "2", "signing_root": "0x.."}]}]}
/// ```
///
/// Departure from EIP-3076: `pubkey` is a 32-byte BIP-340 x-only secp256k1 key, not a 48-byte
/// BLS key, and `genesis_validators_root` is Keel's genesis root. Numbers are decimal strings
/// as the EIP writes them; `signing_root` is optional. Unknown fields are ignored, as the EIP
/// lets producers add their own.
///
/// Parsing (``decode(json:)``) checks the shape and every value; the genesis root is checked
/// against the chain by ``SlashingProtectionDatabase/importInterchange(_:)``, which also
/// applies the EIP's import semantics.
public struct SlashingProtectionInterchange: Hashable, Sendable {
    /// The `interchange_format_version` this build reads and writes.
    public static let formatVersion = "5"
    /// The largest file read (64 MiB): far above any real history, it only stops a wrong path
    /// from filling memory.
    public static let byteCountMax = 64 << 20
    /// The most records of each kind accepted per file.
    public static let recordCountMax = 1 << 20

    /// One validator's records.
    public struct Entry: Hashable, Sendable {
        /// The validator's key.
        public var publicKey: PublicKey
        /// Blocks signed, in file order.
        public var signedBlocks: [SignedBlockRecord]
        /// Attestations signed, in file order.
        public var signedAttestations: [SignedAttestationRecord]

        /// An entry.
        public init(publicKey: PublicKey, signedBlocks: [SignedBlockRecord], signedAttestations: [SignedAttestationRecord]) {
            self.publicKey = publicKey
            self.signedBlocks = signedBlocks
            self.signedAttestations = signedAttestations
        }
    }

    /// `metadata.genesis_validators_root`: the chain the records belong to.
    public var genesisValidatorsRoot: Root
    /// `data`, in file order (a key may appear in several entries; import merges them).
    public var data: [Entry]

    /// An interchange value.
    public init(genesisValidatorsRoot: Root, data: [Entry]) {
        self.genesisValidatorsRoot = genesisValidatorsRoot
        self.data = data
    }

    // MARK: Reading

    /// Reads and parses the file at `path`.
    ///
    /// - Throws: ``InterchangeError`` (`notJSON` also for an unreadable file, with the reason).
    public static func load(path: String) throws(InterchangeError) -> SlashingProtectionInterchange {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            guard size <= byteCountMax else { throw InterchangeError(reason: .tooLarge(byteCount: size, limit: byteCountMax)) }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as InterchangeError {
            throw error
        } catch {
            throw InterchangeError(reason: .notJSON("cannot read \(path): \(error.localizedDescription)"))
        }
        return try decode(json: data)
    }

    /// Parses an interchange file.
    ///
    /// - Parameter json: The file's bytes.
    /// - Returns: The parsed value; every key, root and number has been checked.
    /// - Throws: ``InterchangeError`` naming the first bad field.
    public static func decode(json: Data) throws(InterchangeError) -> SlashingProtectionInterchange {
        guard json.count <= byteCountMax else { throw InterchangeError(reason: .tooLarge(byteCount: json.count, limit: byteCountMax)) }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: json) } catch {
            throw InterchangeError(reason: .notJSON(String(describing: error.localizedDescription)))
        }
        let root = try object(parsed, field: nil)
        let metadata = try object(try member(root, "metadata", nil), field: "metadata")
        let version = try string(try member(metadata, "interchange_format_version", "metadata"), field: "metadata.interchange_format_version")
        guard version == formatVersion else {
            throw InterchangeError(field: "metadata.interchange_format_version", reason: .unsupportedVersion(version))
        }
        let genesisRoot = try root32(try member(metadata, "genesis_validators_root", "metadata"), field: "metadata.genesis_validators_root")
        guard let entries = try member(root, "data", nil) as? [Any] else {
            throw InterchangeError(field: "data", reason: .wrongType(expected: "an array"))
        }
        var data: [Entry] = []
        var recordCount = 0
        for (index, value) in entries.enumerated() {
            let entry = try self.entry(value, field: "data[\(index)]")
            recordCount += entry.signedBlocks.count + entry.signedAttestations.count
            guard recordCount <= recordCountMax else { throw InterchangeError(field: "data", reason: .tooMany(limit: recordCountMax)) }
            data.append(entry)
        }
        return SlashingProtectionInterchange(genesisValidatorsRoot: genesisRoot, data: data)
    }

    private static func entry(_ value: Any, field: String) throws(InterchangeError) -> Entry {
        let entry = try object(value, field: field)
        let publicKey = try self.publicKey(try member(entry, "pubkey", field), field: field + ".pubkey")
        var blocks: [SignedBlockRecord] = []
        for (index, block) in try array(entry, "signed_blocks", field).enumerated() {
            let path = "\(field).signed_blocks[\(index)]"
            let record = try object(block, field: path)
            let slot = Slot(try decimal(try member(record, "slot", path), field: path + ".slot"))
            blocks.append(SignedBlockRecord(slot: slot, signingRoot: try signingRoot(record, path)))
        }
        var attestations: [SignedAttestationRecord] = []
        for (index, attestation) in try array(entry, "signed_attestations", field).enumerated() {
            let path = "\(field).signed_attestations[\(index)]"
            let record = try object(attestation, field: path)
            let source = Epoch(try decimal(try member(record, "source_epoch", path), field: path + ".source_epoch"))
            let target = Epoch(try decimal(try member(record, "target_epoch", path), field: path + ".target_epoch"))
            guard source <= target else { throw InterchangeError(field: path, reason: .sourceAfterTarget) }
            attestations.append(SignedAttestationRecord(sourceEpoch: source, targetEpoch: target, signingRoot: try signingRoot(record, path)))
        }
        return Entry(publicKey: publicKey, signedBlocks: blocks, signedAttestations: attestations)
    }

    /// A missing list is empty (the EIP's minimal files may leave out a kind they do not track).
    private static func array(_ object: [String: Any], _ key: String, _ field: String) throws(InterchangeError) -> [Any] {
        guard let value = object[key], !(value is NSNull) else { return [] }
        guard let list = value as? [Any] else { throw InterchangeError(field: "\(field).\(key)", reason: .wrongType(expected: "an array")) }
        guard list.count <= recordCountMax else { throw InterchangeError(field: "\(field).\(key)", reason: .tooMany(limit: recordCountMax)) }
        return list
    }

    private static func signingRoot(_ record: [String: Any], _ field: String) throws(InterchangeError) -> Root? {
        guard let value = record["signing_root"], !(value is NSNull) else { return nil }
        return try root32(value, field: field + ".signing_root")
    }

    private static func object(_ value: Any, field: String?) throws(InterchangeError) -> [String: Any] {
        guard let object = value as? [String: Any] else { throw InterchangeError(field: field, reason: .wrongType(expected: "an object")) }
        return object
    }

    private static func member(_ object: [String: Any], _ key: String, _ field: String?) throws(InterchangeError) -> Any {
        guard let value = object[key] else { throw InterchangeError(field: field.map { "\($0).\(key)" } ?? key, reason: .missing) }
        return value
    }

    private static func string(_ value: Any, field: String) throws(InterchangeError) -> String {
        // NSNumber bridges to String on some platforms; only a real JSON string is accepted.
        guard !(value is NSNumber), let text = value as? String else {
            throw InterchangeError(field: field, reason: .wrongType(expected: "a string"))
        }
        return text
    }

    private static func decimal(_ value: Any, field: String) throws(InterchangeError) -> UInt64 {
        guard !(value is NSNumber), let text = value as? String else { throw InterchangeError(field: field, reason: .notDecimalString) }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let number = UInt64(text) else {
            throw InterchangeError(field: field, reason: .notDecimalString)
        }
        return number
    }

    private static func hexBytes(_ value: Any, field: String) throws(InterchangeError) -> [UInt8] {
        let text = try string(value, field: field)
        guard text.hasPrefix("0x"), let bytes = Hex.decode(text) else { throw InterchangeError(field: field, reason: .notHex) }
        return bytes
    }

    private static func root32(_ value: Any, field: String) throws(InterchangeError) -> Root {
        let bytes = try hexBytes(value, field: field)
        guard bytes.count == Hash32.byteCount, let root = Root(bytes: bytes) else {
            throw InterchangeError(field: field, reason: .wrongByteCount(expected: Hash32.byteCount, actual: bytes.count))
        }
        return root
    }

    private static func publicKey(_ value: Any, field: String) throws(InterchangeError) -> PublicKey {
        let bytes = try hexBytes(value, field: field)
        if bytes.count == 48 { throw InterchangeError(field: field, reason: .blsPublicKey) }
        guard bytes.count == PublicKey.byteCount else {
            throw InterchangeError(field: field, reason: .wrongByteCount(expected: PublicKey.byteCount, actual: bytes.count))
        }
        guard let key = PublicKey(bytes: bytes) else { throw InterchangeError(field: field, reason: .invalidPublicKey) }
        return key
    }

    // MARK: Writing

    /// The file as JSON: one entry per line of records, keys in the EIP's order, numbers as
    /// decimal strings, `signing_root` left out where unknown. Deterministic for a given value.
    public func encodedJSON() -> Data {
        var lines: [String] = []
        lines.append("{")
        lines.append("  \"metadata\": {")
        lines.append("    \"interchange_format_version\": \"\(Self.formatVersion)\",")
        lines.append("    \"genesis_validators_root\": \"0x\(genesisValidatorsRoot.hex)\"")
        lines.append("  },")
        lines.append("  \"data\": [")
        for (index, entry) in data.enumerated() {
            let blocks = entry.signedBlocks.map { block in
                "{\"slot\": \"\(block.slot.rawValue)\"" + Self.rootMember(block.signingRoot) + "}"
            }
            let attestations = entry.signedAttestations.map { attestation in
                "{\"source_epoch\": \"\(attestation.sourceEpoch.rawValue)\", \"target_epoch\": \"\(attestation.targetEpoch.rawValue)\""
                    + Self.rootMember(attestation.signingRoot) + "}"
            }
            lines.append("    {")
            lines.append("      \"pubkey\": \"0x\(entry.publicKey.hex)\",")
            lines.append("      \"signed_blocks\": [" + Self.list(blocks) + "],")
            lines.append("      \"signed_attestations\": [" + Self.list(attestations) + "]")
            lines.append("    }" + (index + 1 < data.count ? "," : ""))
        }
        lines.append("  ]")
        lines.append("}")
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    private static func rootMember(_ root: Root?) -> String {
        root.map { ", \"signing_root\": \"0x\($0.hex)\"" } ?? ""
    }

    private static func list(_ items: [String]) -> String {
        items.isEmpty ? "" : "\n        " + items.joined(separator: ",\n        ") + "\n      "
    }
}
