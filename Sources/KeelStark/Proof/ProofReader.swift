import KeelCrypto

/// Strict reader of untrusted proof bytes: every read is bounds-checked, every field element
/// must be canonical, every count is capped by the caller, and `finish` refuses trailing bytes.
public struct ProofReader: Sendable {
    private let bytes: [UInt8]
    private var offset = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var remaining: Int { bytes.count - offset }

    private mutating func take(_ count: Int, _ what: String) throws(StarkError) -> ArraySlice<UInt8> {
        guard count <= remaining else { throw .malformed("truncated in \(what)") }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    public mutating func readUInt8(_ what: String) throws(StarkError) -> UInt8 {
        try take(1, what).first!
    }

    public mutating func readUInt32(_ what: String) throws(StarkError) -> UInt32 {
        let slice = try take(4, what)
        return slice.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    public mutating func readUInt64(_ what: String) throws(StarkError) -> UInt64 {
        let slice = try take(8, what)
        return slice.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    public mutating func readBase(_ what: String) throws(StarkError) -> Fp {
        let word = try readUInt32(what)
        guard let element = Fp(checking: word) else { throw .malformed("non-canonical field element in \(what)") }
        return element
    }

    public mutating func readExtension(_ what: String) throws(StarkError) -> Fp4 {
        let c0 = try readBase(what), c1 = try readBase(what), c2 = try readBase(what), c3 = try readBase(what)
        return Fp4(c0, c1, c2, c3)
    }

    public mutating func readHash(_ what: String) throws(StarkError) -> Hash32 {
        let slice = try take(Hash32.byteCount, what)
        return Hash32(bytes: slice)!
    }

    /// A u32 count, refused above `maximum` before anything is allocated for it.
    public mutating func readCount(_ what: String, maximum: Int) throws(StarkError) -> Int {
        let count = Int(try readUInt32(what))
        guard count <= maximum else { throw .malformed("\(what): \(count) exceeds \(maximum)") }
        return count
    }

    /// `count` elements read by `element`.
    public mutating func readArray<Element>(
        _ count: Int, _ element: (inout ProofReader) throws(StarkError) -> Element
    ) throws(StarkError) -> [Element] {
        var result: [Element] = []
        // Every element takes at least one byte: reserving more than remain would let a forged
        // count allocate without the bytes to back it.
        result.reserveCapacity(min(count, remaining))
        for _ in 0..<count { result.append(try element(&self)) }
        return result
    }

    /// Refuses trailing bytes.
    public func finish() throws(StarkError) {
        guard remaining == 0 else { throw .malformed("\(remaining) bytes after the proof") }
    }
}
