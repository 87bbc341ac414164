import KeelVM

/// An element of the KoalaBear field `F`, `p = 2^31 − 2^24 + 1` (spec/STARK.md §1), held
/// canonical in `[0, p)`. The arithmetic is the VM's own (`KoalaBear`), so the prover and the
/// interpreter cannot disagree about the field.
public struct Fp: FieldElement, Hashable, CustomStringConvertible {
    /// The canonical representative, `< p`.
    public let value: UInt32

    /// The field modulus.
    public static let modulus: UInt32 = KoalaBear.p
    public static let zero = Fp(canonical: 0)
    public static let one = Fp(canonical: 1)
    /// 3 generates the multiplicative group (spec §1).
    public static let generator = Fp(canonical: 3)
    /// `log2` of the largest power of two dividing `p − 1`.
    public static let twoAdicity = 24

    /// Wraps a value already known to be canonical.
    @inlinable @inline(__always)
    public init(canonical value: UInt32) {
        self.value = value
    }

    /// Reduces any 64-bit integer into the field.
    @inlinable @inline(__always)
    public init(_ value: UInt64) {
        self.value = KoalaBear.reduce(value)
    }

    /// The identity embedding, so generic code can write `Value(constant)` for either field.
    @inlinable @inline(__always)
    public init(_ base: Fp) {
        self = base
    }

    /// A value decoded from untrusted bytes: `nil` unless it is canonical (spec §1, encoding).
    public init?(checking value: UInt32) {
        guard value < Fp.modulus else { return nil }
        self.value = value
    }

    public var description: String { String(value) }

    @inlinable @inline(__always)
    public static func + (a: Fp, b: Fp) -> Fp { Fp(canonical: KoalaBear.add(a.value, b.value)) }

    @inlinable @inline(__always)
    public static func - (a: Fp, b: Fp) -> Fp {
        Fp(canonical: a.value >= b.value ? a.value &- b.value : a.value &+ (modulus &- b.value))
    }

    @inlinable @inline(__always)
    public static func * (a: Fp, b: Fp) -> Fp { Fp(canonical: KoalaBear.mul(a.value, b.value)) }

    @inlinable @inline(__always)
    public static prefix func - (a: Fp) -> Fp { Fp(canonical: KoalaBear.negate(a.value)) }

    @inlinable @inline(__always)
    public static func += (a: inout Fp, b: Fp) { a = a + b }
    @inlinable @inline(__always)
    public static func -= (a: inout Fp, b: Fp) { a = a - b }
    @inlinable @inline(__always)
    public static func *= (a: inout Fp, b: Fp) { a = a * b }

    /// `self^exponent` by square-and-multiply.
    public func power(_ exponent: UInt64) -> Fp { Fp(canonical: KoalaBear.pow(value, exponent)) }

    /// The multiplicative inverse; `0` maps to `0`.
    public func inverse() -> Fp { Fp(canonical: KoalaBear.inverse(value)) }

    /// The generator of the subgroup of order `2^logSize` (spec §2: `g = 3^127`, `ω_n = g^(2^(24−k))`).
    ///
    /// - Precondition: `0 ≤ logSize ≤ 24`.
    public static func twoAdicGenerator(logSize: Int) -> Fp {
        precondition(logSize >= 0, "a subgroup size is a positive power of two")
        precondition(logSize <= twoAdicity, "F has no subgroup of order 2^\(logSize)")
        return generator.power(127).power(UInt64(1) << UInt64(twoAdicity - logSize))
    }
}
