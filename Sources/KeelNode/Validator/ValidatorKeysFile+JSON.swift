import Foundation
import KeelChain
import KeelCrypto

extension ValidatorKeysFile {
    /// Reads and parses a validator keys file (without a genesis to check it against; see
    /// ``validate(against:)``).
    ///
    /// - Parameter path: The file.
    /// - Returns: The entries, in file order.
    /// - Throws: `ValidatorKeysFileError` naming the file, the field (`keys[1].secret_key`) and
    ///   the reason: unreadable, too large, not JSON, unknown version, a missing or unknown
    ///   field, bad hex, a wrong length, an invalid key, a repeated index or an empty list.
    public static func load(path: String) throws(ValidatorKeysFileError) -> ValidatorKeysFile {
        do {
            return try decode(json: try readBounded(path: path))
        } catch {
            var located = error
            located.path = path
            throw located
        }
    }

    /// Parses a validator keys file's bytes, as ``load(path:)`` does.
    ///
    /// - Parameter json: The file's bytes.
    /// - Returns: The entries, in file order.
    /// - Throws: `ValidatorKeysFileError` naming the field and the reason.
    public static func decode(json: Data) throws(ValidatorKeysFileError) -> ValidatorKeysFile {
        let decoder = JSONDecoder()
        // The version first, so a file of another version is reported as such rather than by
        // its first unfamiliar field.
        let version: UInt64
        do {
            version = try decoder.decode(VersionJSON.self, from: json).version
        } catch {
            throw convert(error)
        }
        guard version == Self.version else {
            throw ValidatorKeysFileError(field: "version", reason: .unsupportedVersion(version))
        }
        let object: FileJSON
        do {
            object = try decoder.decode(FileJSON.self, from: json)
        } catch {
            throw convert(error)
        }
        var entries: [Entry] = []
        entries.reserveCapacity(min(object.keys.count, keyCountMax))
        for (position, entry) in object.keys.prefix(keyCountMax + 1).enumerated() {
            let field = "keys[\(position)].secret_key"
            guard let bytes = Hex.decode(entry.secretKey) else {
                throw ValidatorKeysFileError(field: field, reason: .notHex)
            }
            guard bytes.count == SecretKey.byteCount else {
                throw ValidatorKeysFileError(
                    field: field, reason: .wrongByteCount(expected: SecretKey.byteCount, actual: bytes.count))
            }
            guard let key = SecretKey(bytes: bytes) else {
                throw ValidatorKeysFileError(field: field, reason: .invalidSecretKey)
            }
            entries.append(Entry(index: ValidatorIndex(entry.index), secretKey: key))
        }
        let file = ValidatorKeysFile(entries: entries)
        try file.checkShape()
        return file
    }

    /// The file's JSON: one entry per line, indices as given, keys as lowercase hex.
    public func encoded() -> Data {
        let lines = entries.map { "    {\"index\": \($0.index.rawValue), \"secret_key\": \"\(Hex.encode($0.secretKey.bytes))\"}" }
        let text = "{\n  \"version\": \(Self.version),\n  \"keys\": [\n" + lines.joined(separator: ",\n") + "\n  ]\n}\n"
        return Data(text.utf8)
    }

    /// Writes the file atomically with mode 0600: to a temporary file beside `path` (created
    /// 0600, so the secrets are never readable by others, even briefly), flushed, then renamed.
    ///
    /// - Parameter path: Where to write; an existing file is replaced.
    /// - Throws: `ValidatorKeysFileError`: the shape checks of ``load(path:)`` (so no file is
    ///   written that could not be read back), or `cannotWrite`.
    public func write(path: String) throws(ValidatorKeysFileError) {
        try checkShape()
        let bytes = [UInt8](encoded())
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw Self.writeError(path: path) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            guard count > 0 else {
                let error = Self.writeError(path: path)
                close(fd)
                unlink(temporary)
                throw error
            }
            written += count
        }
        precondition(written == bytes.count, "every byte was written")
        // Mode again, in case the temporary file existed with wider permissions.
        guard fchmod(fd, 0o600) == 0, fsync(fd) == 0, close(fd) == 0, rename(temporary, path) == 0 else {
            let error = Self.writeError(path: path)
            unlink(temporary)
            throw error
        }
    }

    private static func writeError(path: String) -> ValidatorKeysFileError {
        ValidatorKeysFileError(path: path, reason: .cannotWrite(String(cString: strerror(errno))))
    }

    private static func readBounded(path: String) throws(ValidatorKeysFileError) -> Data {
        do {
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
            if let size, size.uint64Value > byteCountMax {
                throw ValidatorKeysFileError(reason: .tooLarge(byteCount: size.uint64Value, limit: byteCountMax))
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard UInt64(data.count) <= byteCountMax else {
                throw ValidatorKeysFileError(reason: .tooLarge(byteCount: UInt64(data.count), limit: byteCountMax))
            }
            return data
        } catch let error as ValidatorKeysFileError {
            throw error
        } catch {
            throw ValidatorKeysFileError(reason: .cannotRead(GenesisFile.reason(error)))
        }
    }

    /// Converts a decoding error into one naming the field, as the genesis file does.
    private static func convert(_ error: any Error) -> ValidatorKeysFileError {
        if let error = error as? ValidatorKeysFileError { return error }
        guard let error = error as? Swift.DecodingError else {
            return ValidatorKeysFileError(reason: .notJSON(String(describing: error)))
        }
        switch error {
        case let .keyNotFound(key, context):
            return ValidatorKeysFileError(field: GenesisJSONFields.render(context.codingPath + [key]), reason: .missing)
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            guard !context.codingPath.isEmpty else {
                return ValidatorKeysFileError(reason: .notJSON("the top level must be a JSON object"))
            }
            let expected = type == String.self ? "a string" : type == UInt64.self ? "a non-negative integer" : "\(type)"
            return ValidatorKeysFileError(field: GenesisJSONFields.render(context.codingPath), reason: .wrongType(expected: expected))
        case let .dataCorrupted(context):
            guard !context.codingPath.isEmpty else {
                return ValidatorKeysFileError(reason: .notJSON(context.debugDescription))
            }
            return ValidatorKeysFileError(
                field: GenesisJSONFields.render(context.codingPath), reason: .wrongType(expected: context.debugDescription))
        @unknown default:
            return ValidatorKeysFileError(reason: .notJSON(String(describing: error)))
        }
    }
}

/// The first pass: only the version.
private struct VersionJSON: Decodable {
    var version: UInt64
}

/// The file's JSON shape; unknown fields are rejected at every level.
private struct FileJSON: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable { case version, keys }
    var keys: [EntryJSON]

    init(from decoder: any Decoder) throws {
        try rejectUnknownFields(in: decoder, known: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        keys = try container.decode([EntryJSON].self, forKey: .keys)
    }
}

/// One entry's JSON shape.
private struct EntryJSON: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case index
        case secretKey = "secret_key"
    }
    var index: UInt64
    var secretKey: String

    init(from decoder: any Decoder) throws {
        try rejectUnknownFields(in: decoder, known: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            index = try container.decode(UInt64.self, forKey: .index)
        } catch let error as Swift.DecodingError {
            throw error
        } catch {
            // Foundation reports a negative or fractional number as invalid JSON for the whole
            // document; name the field instead.
            throw ValidatorKeysFileError(
                field: GenesisJSONFields.render(container.codingPath + [CodingKeys.index]),
                reason: .wrongType(expected: GenesisJSONFields.uint64Range))
        }
        secretKey = try container.decode(String.self, forKey: .secretKey)
    }
}

/// Throws `unknownField` for the first field (in byte order) that `known` does not list.
private func rejectUnknownFields<Keys: CodingKey & CaseIterable>(in decoder: any Decoder, known: Keys.Type) throws {
    let container = try decoder.container(keyedBy: GenesisJSONFields.AnyKey.self)
    let knownNames = Set(Keys.allCases.map(\.stringValue))
    let unknown = container.allKeys.map(\.stringValue).filter { !knownNames.contains($0) }
    if let first = unknown.min(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
        throw ValidatorKeysFileError(
            field: GenesisJSONFields.render(decoder.codingPath + [GenesisJSONFields.AnyKey(stringValue: first)]),
            reason: .unknownField)
    }
}
