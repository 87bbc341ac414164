/// Bit-level views of a 256-bit key as a path through the state tree.
///
/// Bit `i` of a key is bit `7 - i % 8` of byte `i / 8` (most significant bit first), so bit 0
/// chooses the root's child and the order of paths is the byte order of ``Hash32``'s `<`.
enum SparseMerklePath {
    /// The number of bits in a key and so the greatest depth of any node in the tree.
    static let bitCount = 256

    /// Word `index` (0...3) of `key` as a big-endian integer, so that its most significant bit is
    /// key bit `64 * index`.
    @inline(__always)
    static func word(_ key: Hash32, _ index: Int) -> UInt64 {
        switch index {
        case 0: return UInt64(bigEndian: key.word0)
        case 1: return UInt64(bigEndian: key.word1)
        case 2: return UInt64(bigEndian: key.word2)
        default:
            precondition(index == 3, "a key has four words")
            return UInt64(bigEndian: key.word3)
        }
    }

    /// Bit `index` of `key`: `false` means the left child, `true` the right child at depth `index`.
    @inline(__always)
    static func bit(_ key: Hash32, _ index: Int) -> Bool {
        precondition(index >= 0, "bit index is non-negative")
        precondition(index < bitCount, "bit index is below 256")
        return (word(key, index >> 6) >> UInt64(63 - (index & 63))) & 1 == 1
    }

    /// The number of leading bits `a` and `b` share: 256 when they are equal.
    static func commonPrefixLength(_ a: Hash32, _ b: Hash32) -> Int {
        for index in 0..<4 {
            let difference = word(a, index) ^ word(b, index)
            if difference != 0 {
                let length = index * 64 + difference.leadingZeroBitCount
                precondition(length < bitCount, "differing keys share fewer than 256 bits")
                return length
            }
        }
        precondition(a == b, "keys sharing all 256 bits are equal")
        return bitCount
    }

    /// `key` with bit `index` set to `value`; used to spell the position of a node as a key.
    static func setting(_ key: Hash32, bit index: Int, to value: Bool) -> Hash32 {
        precondition(index >= 0 && index < bitCount, "bit index is within the key")
        var words = [word(key, 0), word(key, 1), word(key, 2), word(key, 3)]
        let mask = UInt64(1) << UInt64(63 - (index & 63))
        words[index >> 6] = value ? words[index >> 6] | mask : words[index >> 6] & ~mask
        let result = Hash32(
            word0: words[0].bigEndian, word1: words[1].bigEndian,
            word2: words[2].bigEndian, word3: words[3].bigEndian
        )
        precondition(bit(result, index) == value, "the bit was set")
        return result
    }
}
