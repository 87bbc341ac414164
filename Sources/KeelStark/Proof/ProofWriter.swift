import KeelCrypto

/// Appends the little-endian encodings of spec/STARK.md §1 and §8.
public struct ProofWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write(_ value: UInt8) { bytes.append(value) }
    public mutating func write(_ value: UInt32) { bytes.append(contentsOf: littleEndianBytes(value)) }
    public mutating func write(_ value: UInt64) { bytes.append(contentsOf: littleEndianBytes(value)) }
    public mutating func write(_ value: Fp) { write(value.value) }
    public mutating func write(_ value: Fp4) {
        write(value.c0)
        write(value.c1)
        write(value.c2)
        write(value.c3)
    }
    public mutating func write(_ value: Hash32) { bytes.append(contentsOf: value.bytes) }

    /// A length prefix: the count as u32.
    public mutating func writeCount(_ count: Int) {
        precondition(count >= 0 && count <= Int(UInt32.max), "a count fits in u32")
        write(UInt32(count))
    }
}
