/// Bit-reversed order (spec/STARK.md §2): position `j` of a bit-reversed codeword of size `2^k`
/// holds the value at natural index `rev_k(j)`.
public enum BitReversal {
    /// `index` with its `bits` low bits reversed.
    @inlinable
    public static func reverse(_ index: Int, bits: Int) -> Int {
        precondition(bits >= 0 && bits < Int.bitWidth, "bit count out of range")
        guard bits > 0 else { return 0 }
        return Int(UInt(bitPattern: index).bitReversed >> UInt(UInt.bitWidth - bits))
    }

    /// Reorders `values` (a power-of-two count) from natural to bit-reversed order, or back: the
    /// permutation is its own inverse.
    public static func permute<Element>(_ values: inout [Element]) {
        let count = values.count
        precondition(count > 0 && count & (count - 1) == 0, "bit reversal needs a power-of-two count")
        let bits = count.trailingZeroBitCount
        for index in 0..<count {
            let partner = reverse(index, bits: bits)
            if index < partner { values.swapAt(index, partner) }
        }
    }
}

extension UInt {
    /// The bits in reverse order: swap adjacent bits, then pairs, then nibbles, then bytes.
    @usableFromInline
    var bitReversed: UInt {
        var value = UInt64(self)
        value = (value & 0x5555_5555_5555_5555) << 1 | (value >> 1) & 0x5555_5555_5555_5555
        value = (value & 0x3333_3333_3333_3333) << 2 | (value >> 2) & 0x3333_3333_3333_3333
        value = (value & 0x0f0f_0f0f_0f0f_0f0f) << 4 | (value >> 4) & 0x0f0f_0f0f_0f0f_0f0f
        return UInt(value.byteSwapped)
    }
}
