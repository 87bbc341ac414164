/// Arithmetic in the KoalaBear prime field, `p = 2^31 - 2^24 + 1` (spec/VM.md section 1).
///
/// Values are `UInt32` in canonical form, `[0, p)`. The modulus is a literal in a non-main file,
/// so `%` compiles to a multiply-and-shift rather than a division (see TOOLCHAIN.md).
public enum KoalaBear {
    /// The field modulus `p = 2130706433`.
    public static let p: UInt32 = 2_130_706_433

    /// `(a + b) mod p` for canonical `a` and `b`.
    @inline(__always)
    public static func add(_ a: UInt32, _ b: UInt32) -> UInt32 {
        // a, b < p < 2^31, so the sum fits in 32 bits.
        let sum = a &+ b
        return sum >= p ? sum &- p : sum
    }

    /// `(a · b) mod p` for canonical `a` and `b`.
    @inline(__always)
    public static func mul(_ a: UInt32, _ b: UInt32) -> UInt32 {
        UInt32(truncatingIfNeeded: (UInt64(a) &* UInt64(b)) % UInt64(p))
    }

    /// Reduces any 64-bit integer into the field.
    @inline(__always)
    public static func reduce(_ x: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: x % UInt64(p))
    }

    /// `-a mod p` for canonical `a`.
    @inline(__always)
    public static func negate(_ a: UInt32) -> UInt32 {
        a == 0 ? 0 : p &- a
    }

    /// `a^e mod p` by square-and-multiply.
    public static func pow(_ a: UInt32, _ e: UInt64) -> UInt32 {
        var result: UInt32 = 1
        var base = a
        var exponent = e
        while exponent > 0 {
            if exponent & 1 == 1 { result = mul(result, base) }
            base = mul(base, base)
            exponent >>= 1
        }
        return result
    }

    /// The multiplicative inverse by Fermat, `a^(p-2)`; `inverse(0) == 0`.
    public static func inverse(_ a: UInt32) -> UInt32 {
        pow(a, UInt64(p) - 2)
    }
}
