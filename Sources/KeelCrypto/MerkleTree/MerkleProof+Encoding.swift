extension MerkleProof {
    /// The canonical byte encoding, as light clients receive it over HTTP:
    ///
    /// | bytes | content |
    /// |---|---|
    /// | 1 | terminal tag: `0x00` empty, `0x01` leaf |
    /// | 2 | sibling count `c`, big-endian, at most 256 |
    /// | 64 | leaf terminals only: the leaf's key, then its value hash |
    /// | ⌈c/8⌉ | presence bitmap: bit `i` (most significant first, byte `i / 8`) is 1 when sibling `i` is not zero; unused bits are 0 |
    /// | 32 each | the non-zero siblings, from the root downwards |
    ///
    /// Zero siblings (the empty sides of branches along a run of shared key bits) cost one bit.
    /// Each proof has exactly one encoding: ``init(decoding:)`` rejects set padding bits and
    /// zero siblings written out. The longest encoding is 3 + 64 + 32 + 256 · 32 = 8,291 bytes.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        let presentCount = siblings.lazy.filter { $0 != .zero }.count
        bytes.reserveCapacity(3 + 64 + (siblings.count + 7) / 8 + 32 * presentCount)
        switch terminal {
        case .empty:
            bytes.append(0x00)
        case .leaf:
            bytes.append(0x01)
        }
        bytes.append(UInt8(truncatingIfNeeded: siblings.count >> 8))
        bytes.append(UInt8(truncatingIfNeeded: siblings.count))
        if case .leaf(let key, let valueHash) = terminal {
            bytes.appendMerkleHash(key)
            bytes.appendMerkleHash(valueHash)
        }
        var bitmap = [UInt8](repeating: 0, count: (siblings.count + 7) / 8)
        for (index, sibling) in siblings.enumerated() where sibling != .zero {
            bitmap[index / 8] |= 0x80 >> UInt8(index % 8)
        }
        bytes.append(contentsOf: bitmap)
        for sibling in siblings where sibling != .zero {
            bytes.appendMerkleHash(sibling)
        }
        precondition(bytes.count <= 3 + 64 + 32 + 32 * Self.siblingCountMax, "proof encoding is bounded")
        return bytes
    }

    /// Decodes the canonical encoding described at ``encoded``.
    ///
    /// - Parameter bytes: Exactly one encoded proof, possibly from an untrusted peer.
    /// - Throws: ``MerkleProofError`` naming the offset and the reason: truncation, trailing bytes,
    ///   an unknown terminal tag, more than 256 siblings, a set padding bit, or an encoded zero
    ///   sibling. Decoding checks form only; ``verify(key:valueHash:root:)`` checks content.
    public init(decoding bytes: some Collection<UInt8>) throws(MerkleProofError) {
        var reader = MerkleByteReader(Array(bytes))
        guard reader.remaining >= 3, let tag = reader.byte(), let high = reader.byte(), let low = reader.byte() else {
            throw .truncated(offset: 0, needed: 3)
        }
        let count = Int(high) << 8 | Int(low)
        guard count <= Self.siblingCountMax else {
            throw .siblingCountAboveMax(offset: 1, count: count)
        }
        let terminal: Terminal
        switch tag {
        case 0x00:
            terminal = .empty
        case 0x01:
            guard let key = reader.hash(), let valueHash = reader.hash() else {
                throw .truncated(offset: 3, needed: 64)
            }
            terminal = .leaf(key: key, valueHash: valueHash)
        default:
            throw .badTerminalTag(offset: 0, tag: tag)
        }
        let siblings = try Self.decodeSiblings(count: count, from: &reader)
        guard reader.remaining == 0 else {
            throw .trailingBytes(offset: reader.offset, count: reader.remaining)
        }
        precondition(siblings.count == count, "one sibling per counted level")
        self.init(siblings: siblings, terminal: terminal)
    }

    /// Reads the presence bitmap and the present siblings.
    private static func decodeSiblings(
        count: Int, from reader: inout MerkleByteReader
    ) throws(MerkleProofError) -> [Hash32] {
        precondition(count <= siblingCountMax, "count was checked by the caller")
        let bitmapOffset = reader.offset
        let bitmapLength = (count + 7) / 8
        guard reader.remaining >= bitmapLength else {
            throw .truncated(offset: bitmapOffset, needed: bitmapLength)
        }
        var bitmap: [UInt8] = []
        bitmap.reserveCapacity(bitmapLength)
        while bitmap.count < bitmapLength, let byte = reader.byte() {
            bitmap.append(byte)
        }
        precondition(bitmap.count == bitmapLength, "the bitmap length was checked")
        if count % 8 != 0, let last = bitmap.last, last & (0xFF >> UInt8(count % 8)) != 0 {
            throw .paddingBitSet(offset: bitmapOffset + bitmap.count - 1)
        }
        var siblings: [Hash32] = []
        siblings.reserveCapacity(count)
        for index in 0..<count {
            guard bitmap[index / 8] & (0x80 >> UInt8(index % 8)) != 0 else {
                siblings.append(.zero)
                continue
            }
            let offset = reader.offset
            guard let sibling = reader.hash() else {
                throw .truncated(offset: offset, needed: Hash32.byteCount)
            }
            guard sibling != .zero else {
                throw .zeroSiblingEncoded(offset: offset, index: index)
            }
            siblings.append(sibling)
        }
        return siblings
    }
}
