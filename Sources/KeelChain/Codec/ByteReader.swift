import KeelCrypto
import KeelVM

/// A cursor over bytes being decoded: every `read` takes the next bytes or throws
/// ``DecodingError/truncated(type:needed:available:)`` naming what it was reading.
///
/// Reads are bounds-checked against ``remaining`` before any bytes are touched or any memory is
/// allocated, so malformed input from a peer costs at most the bytes it actually sent.
///
/// - Important: The reader never reads past its bytes and never traps on their content; the
///   only preconditions are on the caller's own arguments.
public struct ByteReader: Sendable {
    /// The bytes being decoded; indices are those of the original array.
    private let storage: ArraySlice<UInt8>
    /// The index of the next byte to read, in `storage.startIndex ... storage.endIndex`.
    private var cursor: Int

    /// Creates a reader over an array.
    ///
    /// - Parameter bytes: The input; it is shared, not copied.
    public init(_ bytes: [UInt8]) {
        self.init(bytes[...])
    }

    /// Creates a reader over a slice, keeping the slice's own indices.
    ///
    /// - Parameter bytes: The input; it is shared, not copied.
    public init(_ bytes: ArraySlice<UInt8>) {
        self.storage = bytes
        self.cursor = bytes.startIndex
    }

    /// The number of bytes not yet read.
    public var remaining: Int {
        storage.endIndex - cursor
    }

    /// The number of bytes already read.
    public var offset: Int {
        cursor - storage.startIndex
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool {
        cursor == storage.endIndex
    }

    /// Throws unless every byte has been read: a complete object followed by anything else is
    /// not a canonical encoding.
    ///
    /// - Parameter type: The name of the object just decoded, for the error.
    /// - Throws: ``DecodingError/trailingBytes(type:count:)`` naming the leftover byte count.
    public func expectEnd(of type: String) throws(DecodingError) {
        guard remaining == 0 else {
            throw .trailingBytes(type: type, count: remaining)
        }
    }

    /// Moves the cursor past `count` bytes and returns where they start, or throws if fewer
    /// remain.
    @inline(__always)
    private mutating func advance(by count: Int, reading type: StaticString) throws(DecodingError) -> Int {
        precondition(count >= 0, "a read length cannot be negative")
        guard count <= remaining else {
            throw .truncated(type: type.description, needed: count, available: remaining)
        }
        let start = cursor
        cursor += count
        assert(cursor <= storage.endIndex, "the cursor stays inside the input")
        return start
    }

    /// Loads a fixed-width little-endian integer at absolute index `start`.
    @inline(__always)
    private func load<Integer: FixedWidthInteger>(_: Integer.Type, at start: Int) -> Integer {
        Integer(littleEndian: load(as: Integer.self, at: start))
    }

    /// Loads a plain value from its bytes at absolute index `start`, which `advance` checked.
    @inline(__always)
    private func load<Value>(as _: Value.Type, at start: Int) -> Value {
        storage.withUnsafeBytes { buffer in
            let offset = start - storage.startIndex
            precondition(offset >= 0 && offset + MemoryLayout<Value>.size <= buffer.count, "a checked read")
            return buffer.loadUnaligned(fromByteOffset: offset, as: Value.self)
        }
    }

    /// Reads one byte.
    ///
    /// - Parameter type: What is being read, named in the error.
    /// - Returns: The byte.
    /// - Throws: ``DecodingError/truncated(type:needed:available:)`` at the end of the input.
    public mutating func readUInt8(_ type: StaticString = "UInt8") throws(DecodingError) -> UInt8 {
        let start = try advance(by: 1, reading: type)
        return storage[start]
    }

    /// Reads 4 bytes as a little-endian `UInt32`.
    ///
    /// - Parameter type: What is being read, named in the error.
    /// - Returns: The integer.
    /// - Throws: ``DecodingError/truncated(type:needed:available:)`` if fewer than 4 bytes remain.
    public mutating func readUInt32(_ type: StaticString = "UInt32") throws(DecodingError) -> UInt32 {
        let start = try advance(by: 4, reading: type)
        return load(UInt32.self, at: start)
    }

    /// Reads 8 bytes as a little-endian `UInt64`.
    ///
    /// - Parameter type: What is being read, named in the error.
    /// - Returns: The integer.
    /// - Throws: ``DecodingError/truncated(type:needed:available:)`` if fewer than 8 bytes remain.
    public mutating func readUInt64(_ type: StaticString = "UInt64") throws(DecodingError) -> UInt64 {
        let start = try advance(by: 8, reading: type)
        return load(UInt64.self, at: start)
    }

    /// Reads one byte as a boolean: 0 is `false`, 1 is `true`.
    ///
    /// - Parameter field: The field being read, named in the errors.
    /// - Returns: The boolean.
    /// - Throws: `truncated` at the end of the input; ``DecodingError/invalidValue(field:reason:)``
    ///   for any byte other than 0 or 1, which would make two encodings of one value.
    public mutating func readBool(_ field: StaticString = "Bool") throws(DecodingError) -> Bool {
        let byte = try readUInt8(field)
        switch byte {
        case 0: return false
        case 1: return true
        default: throw .invalidValue(field: field.description, reason: "bool byte \(byte) is neither 0 nor 1")
        }
    }

    /// Reads `count` bytes as they are, without a length prefix.
    ///
    /// - Parameters:
    ///   - count: The number of bytes the format fixes.
    ///   - type: What is being read, named in the error.
    /// - Returns: The bytes, as a slice of the input (no copy).
    /// - Throws: ``DecodingError/truncated(type:needed:available:)`` if fewer remain.
    public mutating func readBytes(count: Int, _ type: StaticString = "bytes") throws(DecodingError) -> ArraySlice<UInt8> {
        let start = try advance(by: count, reading: type)
        return storage[start..<start + count]
    }

    /// Reads 32 bytes as a `Hash32` (a root, a RANDAO reveal).
    ///
    /// - Parameter type: What is being read, named in the error.
    /// - Returns: The value.
    /// - Throws: ``DecodingError/truncated(type:needed:available:)`` if fewer than 32 bytes remain.
    public mutating func readHash32(_ type: StaticString = "Hash32") throws(DecodingError) -> Hash32 {
        let start = try advance(by: Hash32.byteCount, reading: type)
        // `Hash32` is four words whose memory is its 32 bytes in order (see its documentation), so
        // any 32 bytes load as one in place; `Hash32(bytes:)` is generic and not inlinable, and
        // calling it per root dominated block decoding.
        precondition(MemoryLayout<Hash32>.size == Hash32.byteCount, "Hash32 is its 32 bytes")
        return load(as: Hash32.self, at: start)
    }

    /// Reads 32 bytes as an address.
    ///
    /// - Parameter type: What is being read, named in the error.
    /// - Returns: The address.
    /// - Throws: ``DecodingError/truncated(type:needed:available:)`` if fewer than 32 bytes remain.
    public mutating func readAddress(_ type: StaticString = "Address") throws(DecodingError) -> Address {
        Address(try readHash32(type))
    }

    /// Reads 32 bytes as a BIP-340 x-only public key.
    ///
    /// - Parameter field: The field being read, named in the errors.
    /// - Returns: The parsed key.
    /// - Throws: `truncated` if fewer than 32 bytes remain; ``DecodingError/invalidValue(field:reason:)``
    ///   if the bytes are not an x coordinate on secp256k1 below the field size.
    public mutating func readPublicKey(_ field: StaticString = "PublicKey") throws(DecodingError) -> PublicKey {
        let serialized = try readHash32(field)
        let parsed = serialized.withUnsafeBytes { PublicKey(bytes: $0) }
        guard let key = parsed else {
            throw .invalidValue(field: field.description, reason: "not a valid BIP-340 x-only public key")
        }
        return key
    }

    /// Reads 64 bytes as a signature (whether it verifies is for the caller to check).
    ///
    /// - Parameter type: What is being read, named in the error.
    /// - Returns: The signature.
    /// - Throws: ``DecodingError/truncated(type:needed:available:)`` if fewer than 64 bytes remain.
    public mutating func readSignature(_ type: StaticString = "Signature") throws(DecodingError) -> Signature {
        let start = try advance(by: Signature.byteCount, reading: type)
        // `Signature` is two `Hash32` halves held inline, so any 64 bytes load as one in place
        // (range checks belong to verification, as BIP-340 specifies). `Signature(bytes:)` copies
        // into an array first.
        precondition(MemoryLayout<Signature>.size == Signature.byteCount, "Signature is its 64 bytes")
        return load(as: Signature.self, at: start)
    }

    /// Reads a list count (`UInt32` little-endian) and checks it against the list's limit and
    /// against the bytes left, before anything is allocated for the elements.
    ///
    /// - Parameters:
    ///   - field: The list being read, named in the errors.
    ///   - limit: The most elements the list may hold.
    ///   - elementByteCountMin: The fewest bytes one element can encode to (at least 1), so that a
    ///     count the remaining input cannot possibly hold fails at once as `truncated`.
    /// - Returns: The count, at most `limit`, and small enough that `count · elementByteCountMin`
    ///   bytes remain.
    /// - Throws: `truncated` if the count itself or its elements cannot fit in what remains;
    ///   ``DecodingError/listTooLong(field:count:limit:)`` if the count is over `limit`.
    public mutating func readCount(
        _ field: StaticString, limit: UInt64, elementByteCountMin: Int
    ) throws(DecodingError) -> Int {
        precondition(elementByteCountMin >= 1, "every element encodes to at least one byte")
        precondition(limit <= UInt64(UInt32.max), "a limit above the u32 count range can never bind")
        let count = UInt64(try readUInt32(field))
        guard count <= limit else {
            throw .listTooLong(field: field.description, count: count, limit: limit)
        }
        // count ≤ u32 max and elementByteCountMin is small, so the product fits in 64 bits.
        let (neededBytes, overflow) = count.multipliedReportingOverflow(by: UInt64(elementByteCountMin))
        guard !overflow, neededBytes <= UInt64(remaining) else {
            let needed = overflow ? Int.max : Int(clamping: neededBytes)
            throw .truncated(type: field.description, needed: needed, available: remaining)
        }
        return Int(count)
    }

    /// Reads variable-length bytes: a `UInt32` count, at most `limit`, then that many bytes.
    ///
    /// - Parameters:
    ///   - field: The field being read, named in the errors.
    ///   - limit: The most bytes the field may hold.
    /// - Returns: A copy of the bytes.
    /// - Throws: `truncated` or ``DecodingError/listTooLong(field:count:limit:)``.
    public mutating func readLengthPrefixedBytes(_ field: StaticString, limit: UInt64) throws(DecodingError) -> [UInt8] {
        let count = try readCount(field, limit: limit, elementByteCountMin: 1)
        return Array(try readBytes(count: count, field))
    }

    /// Reads a list of KoalaBear field elements: a `UInt32` count, at most `limit`, then that
    /// many little-endian `UInt32` cells, each below `KoalaBear.p`.
    ///
    /// - Parameters:
    ///   - field: The field being read, named in the errors.
    ///   - limit: The most cells the field may hold.
    /// - Returns: The cells.
    /// - Throws: `truncated`, ``DecodingError/listTooLong(field:count:limit:)``, or
    ///   ``DecodingError/invalidValue(field:reason:)`` for a cell that is not a canonical field
    ///   element (the VM only ever holds values below `p`).
    public mutating func readFieldElements(_ field: StaticString, limit: UInt64) throws(DecodingError) -> [UInt32] {
        let count = try readCount(field, limit: limit, elementByteCountMin: 4)
        let start = try advance(by: 4 * count, reading: field)
        var cells: [UInt32] = []
        // Safe to reserve: `readCount` checked that the input holds all `count` cells.
        cells.reserveCapacity(count)
        for index in 0..<count {
            let cell = load(UInt32.self, at: start + 4 * index)
            guard cell < KoalaBear.p else {
                throw .invalidValue(
                    field: field.description,
                    reason: "cell \(index) is \(cell), not below the KoalaBear modulus \(KoalaBear.p)")
            }
            cells.append(cell)
        }
        assert(cells.count == count, "every cell was read")
        return cells
    }

    /// Reads a list of objects: a `UInt32` count, at most `limit`, then each element's canonical
    /// encoding.
    ///
    /// - Parameters:
    ///   - field: The list being read, named in the errors.
    ///   - limit: The most elements the list may hold.
    ///   - elementByteCountMin: The fewest bytes one element can encode to.
    /// - Returns: The elements.
    /// - Throws: `truncated`, ``DecodingError/listTooLong(field:count:limit:)``, or whatever an
    ///   element's decoder throws.
    public mutating func readList<Element: CanonicalCodable>(
        _ field: StaticString, of _: Element.Type = Element.self, limit: UInt64, elementByteCountMin: Int
    ) throws(DecodingError) -> [Element] {
        let count = try readCount(field, limit: limit, elementByteCountMin: elementByteCountMin)
        var elements: [Element] = []
        // Safe to reserve: the input holds at least `count · elementByteCountMin` more bytes.
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try Element(from: &self))
        }
        return elements
    }
}
