/// A cursor over untrusted bytes for the proof and witness decoders: every read is bounds
/// checked and reports a shortfall instead of trapping.
struct MerkleByteReader {
    let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The bytes not read yet.
    var remaining: Int {
        bytes.count - offset
    }

    /// Reads one byte, or returns `nil` at the end of the input.
    mutating func byte() -> UInt8? {
        guard offset < bytes.count else {
            return nil
        }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads 32 bytes, or returns `nil` (reading nothing) when fewer remain.
    mutating func hash() -> Hash32? {
        guard remaining >= Hash32.byteCount else {
            return nil
        }
        let value = bytes.withUnsafeBytes { buffer in
            Hash32(loadingFrom: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + Hash32.byteCount]))
        }
        offset += Hash32.byteCount
        precondition(offset <= bytes.count, "a read stays within the input")
        return value
    }
}

extension Array where Element == UInt8 {
    /// Appends the 32 bytes of `hash`.
    mutating func appendMerkleHash(_ hash: Hash32) {
        hash.withUnsafeBytes { append(contentsOf: $0) }
    }
}
