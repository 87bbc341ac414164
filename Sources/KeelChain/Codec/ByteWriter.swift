import KeelCrypto

/// An append-only byte buffer that canonical encodings are written into.
///
/// Integers are written little-endian at their full fixed width, 32-byte values (roots, keys,
/// addresses) and signatures as their raw bytes, and variable-length data behind a `UInt32`
/// little-endian count. Every `write` stores in place into one growing buffer, so encoding a
/// block costs one allocation (or a few doublings), not an array per field.
///
/// Implementation note: the buffer is kept zero-filled past ``count`` and fixed-width values are
/// stored straight into it. `Array.append(contentsOf:)` of 8 or 32 bytes goes through the
/// generic sequence path and a `memmove` call per field, which made block encoding several
/// times slower.
///
/// - Important: A writer is a value; encode into it through `inout` and read the result from
///   ``bytes`` (a copy of the written prefix) or take it with ``finish()`` once done.
public struct ByteWriter: Sendable {
    /// The buffer: `storage[0 ..< count]` is written, the rest is zero-filled spare capacity.
    private var storage: [UInt8]
    /// The number of bytes written so far.
    public private(set) var count: Int

    /// The smallest buffer a writer grows to, so tiny encodings do not double repeatedly.
    private static let capacityMin = 64

    /// Creates an empty writer.
    ///
    /// - Parameter capacity: Bytes to reserve up front, when the caller knows roughly how large
    ///   the encoding will be.
    public init(reservingCapacity capacity: Int = 0) {
        precondition(capacity >= 0, "a capacity cannot be negative")
        self.storage = capacity > 0 ? [UInt8](repeating: 0, count: capacity) : []
        self.count = 0
    }

    /// Everything written so far, in order.
    public var bytes: [UInt8] {
        storage.count == count ? storage : Array(storage[0..<count])
    }

    /// Returns everything written, without copying, and leaves the writer empty.
    ///
    /// - Returns: The written bytes.
    public mutating func finish() -> [UInt8] {
        var result: [UInt8] = []
        swap(&result, &storage)
        // Dropping trailing spare bytes of a uniquely held array keeps its allocation.
        result.removeSubrange(count...)
        count = 0
        precondition(storage.isEmpty, "the writer gave its buffer away")
        return result
    }

    /// Reserves room for at least `capacity` bytes in total, so that later writes do not grow
    /// the buffer.
    ///
    /// - Parameter capacity: The total number of bytes expected.
    public mutating func reserveCapacity(_ capacity: Int) {
        precondition(capacity >= 0, "a capacity cannot be negative")
        if capacity > storage.count {
            storage.append(contentsOf: repeatElement(0, count: capacity - storage.count))
        }
        assert(storage.count >= capacity, "the buffer holds the reserved capacity")
    }

    /// Makes room for `byteCount` more bytes, then lets `body` store them at the write position.
    @inline(__always)
    private mutating func append(byteCount: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
        if storage.count - count < byteCount {
            grow(toHold: byteCount)
        }
        let offset = count
        storage.withUnsafeMutableBytes { buffer in
            precondition(offset + byteCount <= buffer.count, "the buffer was grown to hold the write")
            body(buffer.baseAddress! + offset)
        }
        count = offset + byteCount
    }

    /// Grows the buffer geometrically so that `byteCount` more bytes fit.
    @inline(never)
    private mutating func grow(toHold byteCount: Int) {
        let needed = count + byteCount
        reserveCapacity(Swift.max(needed, 2 * storage.count, Self.capacityMin))
        assert(storage.count - count >= byteCount, "the buffer now holds the write")
    }

    /// Writes one byte.
    ///
    /// - Parameter value: The byte.
    public mutating func write(_ value: UInt8) {
        append(byteCount: 1) { $0.storeBytes(of: value, as: UInt8.self) }
    }

    /// Writes a `UInt32` as 4 little-endian bytes.
    ///
    /// - Parameter value: The integer.
    public mutating func write(_ value: UInt32) {
        append(byteCount: 4) { $0.storeBytes(of: value.littleEndian, as: UInt32.self) }
    }

    /// Writes a `UInt64` as 8 little-endian bytes.
    ///
    /// - Parameter value: The integer.
    public mutating func write(_ value: UInt64) {
        append(byteCount: 8) { $0.storeBytes(of: value.littleEndian, as: UInt64.self) }
    }

    /// Writes a boolean as one byte, 1 for `true` and 0 for `false` (decoders reject any other
    /// byte, so the encoding stays canonical).
    ///
    /// - Parameter value: The boolean.
    public mutating func write(_ value: Bool) {
        write(UInt8(value ? 1 : 0))
    }

    /// Writes bytes as they are, with no length: for fields whose size the format fixes.
    ///
    /// - Parameter raw: The bytes.
    public mutating func write(_ raw: [UInt8]) {
        raw.withUnsafeBytes { write(bytes: $0) }
    }

    /// Writes raw memory as it is, with no length.
    ///
    /// - Parameter raw: The bytes; only read during the call.
    public mutating func write(bytes raw: UnsafeRawBufferPointer) {
        guard let source = raw.baseAddress, raw.count > 0 else {
            return
        }
        append(byteCount: raw.count) { $0.copyMemory(from: source, byteCount: raw.count) }
    }

    /// Writes a 32-byte value (a root, an address's hash) as its 32 bytes.
    ///
    /// - Parameter hash: The value.
    public mutating func write(_ hash: Hash32) {
        // `Hash32` is four words whose memory is its bytes in order (see its documentation).
        precondition(MemoryLayout<Hash32>.size == Hash32.byteCount, "Hash32 is its 32 bytes")
        append(byteCount: Hash32.byteCount) { $0.storeBytes(of: hash, as: Hash32.self) }
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
        write(key.bytes)
    }

    /// Writes a signature as its 64 bytes.
    ///
    /// - Parameter signature: The signature.
    public mutating func write(_ signature: Signature) {
        // `Signature` is two `Hash32` halves held inline, so its memory is its 64 bytes.
        precondition(MemoryLayout<Signature>.size == Signature.byteCount, "Signature is its 64 bytes")
        append(byteCount: Signature.byteCount) { $0.storeBytes(of: signature, as: Signature.self) }
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
        write(raw)
    }

    /// Writes a list of `UInt32` cells: their count as a `UInt32` little-endian, then each cell
    /// little-endian.
    ///
    /// - Parameter cells: The cells.
    public mutating func writeLengthPrefixed(_ cells: [UInt32]) {
        writeCount(cells.count)
        append(byteCount: 4 * cells.count) { destination in
            for (index, cell) in cells.enumerated() {
                destination.storeBytes(of: cell.littleEndian, toByteOffset: 4 * index, as: UInt32.self)
            }
        }
    }

    /// Writes a list of objects: their count as a `UInt32` little-endian, then each object's
    /// canonical encoding.
    ///
    /// - Parameter elements: The objects.
    public mutating func writeList<Element: CanonicalCodable>(_ elements: [Element]) {
        writeCount(elements.count)
        // Borrowing through the buffer avoids copying each element (and retaining what it holds).
        elements.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                buffer[index].encode(to: &self)
            }
        }
    }
}
