import KeelCrypto

/// An append-only byte buffer that canonical encodings are written into.
///
/// Integers are written little-endian at their full fixed width, 32-byte values (roots, keys,
/// addresses) and signatures as their raw bytes, and variable-length data behind a `UInt32`
/// little-endian count. Every `write` appends in place to one array, so encoding a block costs
/// one growing buffer, not an array per field.
///
/// - Important: A writer is a value; encode into it through `inout` and read the result from
///   ``bytes`` once done.
public struct ByteWriter: Sendable {
    /// Everything written so far, in order.
    public private(set) var bytes: [UInt8]

    /// Creates an empty writer.
    ///
    /// - Parameter capacity: Bytes to reserve up front, when the caller knows roughly how large
    ///   the encoding will be.
    public init(reservingCapacity capacity: Int = 0) {
        precondition(capacity >= 0, "a capacity cannot be negative")
        self.bytes = []
        if capacity > 0 {
            bytes.reserveCapacity(capacity)
        }
    }

    /// The number of bytes written so far.
    public var count: Int {
        bytes.count
    }

    /// Reserves room for at least `capacity` bytes in total, so that later writes do not grow
    /// the buffer.
    ///
    /// - Parameter capacity: The total number of bytes expected.
    public mutating func reserveCapacity(_ capacity: Int) {
        precondition(capacity >= 0, "a capacity cannot be negative")
        bytes.reserveCapacity(capacity)
    }

    /// Writes one byte.
    ///
    /// - Parameter value: The byte.
    public mutating func write(_ value: UInt8) {
        bytes.append(value)
    }

    /// Writes a `UInt32` as 4 little-endian bytes.
    ///
    /// - Parameter value: The integer.
    public mutating func write(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a `UInt64` as 8 little-endian bytes.
    ///
    /// - Parameter value: The integer.
    public mutating func write(_ value: UInt64) {
        Swift.withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a boolean as one byte, 1 for `true` and 0 for `false` (decoders reject any other
    /// byte, so the encoding stays canonical).
    ///
    /// - Parameter value: The boolean.
    public mutating func write(_ value: Bool) {
        bytes.append(value ? 1 : 0)
    }

    /// Writes bytes as they are, with no length: for fields whose size the format fixes.
    ///
    /// - Parameter raw: The bytes.
    public mutating func write(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    /// Writes raw memory as it is, with no length.
    ///
    /// - Parameter raw: The bytes; only read during the call.
    public mutating func write(bytes raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    /// Writes a 32-byte value (a root, an address's hash) as its 32 bytes.
    ///
    /// - Parameter hash: The value.
    public mutating func write(_ hash: Hash32) {
        hash.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Writes an address as the 32 bytes of its hash.
    ///
    /// - Parameter address: The address.
    public mutating func write(_ address: Address) {
        write(address.hash)
    }

    /// Writes an x-only public key as its 32 serialized bytes.
    ///
    /// - Parameter key: The key.
    public mutating func write(_ key: PublicKey) {
        // `PublicKey` exposes its bytes only as an array; this is the one allocation per key.
        bytes.append(contentsOf: key.bytes)
    }

    /// Writes a signature as its 64 bytes.
    ///
    /// - Parameter signature: The signature.
    public mutating func write(_ signature: Signature) {
        signature.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Writes a list count as a `UInt32` little-endian.
    ///
    /// - Parameter count: The number of elements that follow.
    public mutating func writeCount(_ count: Int) {
        precondition(count >= 0, "a count cannot be negative")
        precondition(UInt64(count) <= UInt64(UInt32.max), "a list of \(count) elements does not fit the u32 count")
        write(UInt32(truncatingIfNeeded: count))
    }

    /// Writes variable-length bytes: their count as a `UInt32` little-endian, then the bytes.
    ///
    /// - Parameter raw: The bytes.
    public mutating func writeLengthPrefixed(_ raw: [UInt8]) {
        writeCount(raw.count)
        bytes.append(contentsOf: raw)
    }

    /// Writes a list of `UInt32` cells: their count as a `UInt32` little-endian, then each cell
    /// little-endian.
    ///
    /// - Parameter cells: The cells.
    public mutating func writeLengthPrefixed(_ cells: [UInt32]) {
        writeCount(cells.count)
        for cell in cells {
            write(cell)
        }
    }

    /// Writes a list of objects: their count as a `UInt32` little-endian, then each object's
    /// canonical encoding.
    ///
    /// - Parameter elements: The objects.
    public mutating func writeList<Element: CanonicalCodable>(_ elements: [Element]) {
        writeCount(elements.count)
        for element in elements {
            element.encode(to: &self)
        }
    }
}
