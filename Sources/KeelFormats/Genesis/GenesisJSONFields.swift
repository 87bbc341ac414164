import Foundation
import KeelCrypto

/// Field paths and Foundation decoding errors, turned into ``GenesisFileError``s that name the
/// field as the README does: `validators[2].public_key`, `accounts[<hex>]`, `preset.slots_per_epoch`.
public enum GenesisJSONFields {
    /// A key of any name, to list the fields an object actually has.
    public struct AnyKey: CodingKey {
        public var stringValue: String
        public var intValue: Int?
        public init(stringValue: String) { self.stringValue = stringValue }
        public init?(intValue: Int) {
            self.stringValue = String(intValue)
            self.intValue = intValue
        }
    }

    /// Throws `unknownField` for the first field (in byte order) of the object being decoded
    /// that `known` does not list.
    public static func rejectUnknown<Keys: CodingKey & CaseIterable>(in decoder: any Decoder, known: Keys.Type) throws {
        try rejectUnknown(in: decoder, knownNames: Set(Keys.allCases.map(\.stringValue)))
    }

    /// Throws `unknownField` for the first field (in byte order) not in `knownNames`.
    public static func rejectUnknown(in decoder: any Decoder, knownNames: Set<String>) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let unknown = container.allKeys.map(\.stringValue).filter { !knownNames.contains($0) }
        if let first = unknown.min(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            throw GenesisFileError(
                field: render(decoder.codingPath + [AnyKey(stringValue: first)]), reason: .unknownField)
        }
    }

    /// Reads a JSON integer as a `UInt64`, naming the field when it does not fit.
    ///
    /// Foundation reports a number that does not fit the requested type (negative, fractional,
    /// above `UInt64.max`) as "not valid JSON" for the whole document, losing the field; this
    /// catches the error where the field is still known.
    public static func uint64<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> UInt64 {
        do {
            return try container.decode(UInt64.self, forKey: key)
        } catch let error as DecodingError {
            throw error
        } catch {
            throw GenesisFileError(field: render(container.codingPath + [key]), reason: .unreadable(uint64Range))
        }
    }

    /// What a JSON integer field may hold.
    public static let uint64Range = "not an integer from 0 to \(UInt64.max)"

    /// Reads an object of integers keyed by strings (`accounts`), each through ``uint64(_:_:)``.
    public static func uint64Map<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, _ key: Key) throws -> [String: UInt64] {
        let object = try container.nestedContainer(keyedBy: AnyKey.self, forKey: key)
        var map: [String: UInt64] = [:]
        for entry in object.allKeys {
            map[entry.stringValue] = try uint64(object, entry)
        }
        return map
    }

    /// The README's spelling of a coding path: array elements as `[i]`, account keys as
    /// `[address]`, object fields joined with dots.
    public static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        var previous: String?
        for key in path {
            if let index = key.intValue, key.stringValue == "Index \(index)" || key.stringValue == String(index) {
                text += "[\(index)]"
            } else if previous == GenesisFileJSON.CodingKeys.accounts.rawValue {
                text += "[\(key.stringValue)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
            previous = key.stringValue
        }
        return text
    }

    /// Converts an error thrown while decoding JSON into one naming the field.
    public static func convert(_ error: any Error) -> GenesisFileError {
        if let error = error as? GenesisFileError { return error }
        guard let error = error as? DecodingError else {
            return GenesisFileError(reason: .notJSON(String(describing: error)))
        }
        switch error {
        case let .keyNotFound(key, context):
            return GenesisFileError(field: render(context.codingPath + [key]), reason: .missing)
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            guard !context.codingPath.isEmpty else {
                return GenesisFileError(reason: .notJSON("the top level must be a JSON object"))
            }
            return GenesisFileError(field: render(context.codingPath), reason: .wrongType(expected: describe(type)))
        case let .dataCorrupted(context):
            guard !context.codingPath.isEmpty else {
                let underlying = context.underlyingError.map { " (\(String(describing: $0)))" } ?? ""
                return GenesisFileError(reason: .notJSON(context.debugDescription + underlying))
            }
            return GenesisFileError(field: render(context.codingPath), reason: .unreadable(context.debugDescription))
        @unknown default:
            return GenesisFileError(reason: .notJSON(String(describing: error)))
        }
    }

    /// How a README reader would name the JSON type `type` is read as.
    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is UInt64.Type: return "a non-negative integer"
        case is String.Type: return "a string"
        case is [Any].Type: return "an array"
        case is [String: Any].Type: return "an object"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") || name.hasSuffix("JSON") { return "an object" }
            return name
        }
    }

    /// Parses `text` as exactly `byteCount` bytes of hex.
    public static func bytes(_ text: String, count byteCount: Int, field: String) throws(GenesisFileError) -> [UInt8] {
        guard let bytes = Hex.decode(text) else { throw GenesisFileError(field: field, reason: .notHex) }
        guard bytes.count == byteCount else {
            throw GenesisFileError(field: field, reason: .wrongByteCount(expected: byteCount, actual: bytes.count))
        }
        return bytes
    }

    /// Parses `text` as 32 bytes of hex.
    public static func hash(_ text: String, field: String) throws(GenesisFileError) -> Hash32 {
        let bytes = try bytes(text, count: Hash32.byteCount, field: field)
        guard let hash = Hash32(bytes: bytes) else { preconditionFailure("32 bytes always make a Hash32") }
        return hash
    }
}
