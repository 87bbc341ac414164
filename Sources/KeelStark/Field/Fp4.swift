/// An element of the quartic extension `E = F[u]/(u^4 − 3)` (spec/STARK.md §1):
/// `c0 + c1·u + c2·u^2 + c3·u^3`. Challenges, out-of-domain points and FRI codewords live here.
public struct Fp4: FieldElement, Hashable, CustomStringConvertible {
    public var c0: Fp
    public var c1: Fp
    public var c2: Fp
    public var c3: Fp

    /// `W` in `u^4 = W`.
    public static let w: UInt64 = 3
    public static let zero = Fp4(Fp.zero)
    public static let one = Fp4(Fp.one)
    /// `u` itself, the extension's generator over `F`.
    public static let u = Fp4(.zero, .one, .zero, .zero)

    @inlinable @inline(__always)
    public init(_ c0: Fp, _ c1: Fp, _ c2: Fp, _ c3: Fp) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
        self.c3 = c3
    }

    /// The base-field element `base` embedded in `E`.
    @inlinable @inline(__always)
    public init(_ base: Fp) {
        self.init(base, .zero, .zero, .zero)
    }

    /// The coefficients `c0..c3`, the order of the encoding (spec §1).
    public var coefficients: [Fp] { [c0, c1, c2, c3] }

    /// Builds an element from exactly four coefficients.
    public init(coefficients: some Collection<Fp>) {
        precondition(coefficients.count == 4, "an E element has four coefficients")
        var iterator = coefficients.makeIterator()
        self.init(iterator.next()!, iterator.next()!, iterator.next()!, iterator.next()!)
    }

    /// Whether the element lies in the base field (`c1 = c2 = c3 = 0`).
    public var isInBaseField: Bool { c1 == .zero && c2 == .zero && c3 == .zero }

    public var description: String { "(\(c0), \(c1), \(c2), \(c3))" }

    @inlinable @inline(__always)
    public static func + (a: Fp4, b: Fp4) -> Fp4 { Fp4(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2, a.c3 + b.c3) }

    @inlinable @inline(__always)
    public static func - (a: Fp4, b: Fp4) -> Fp4 { Fp4(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2, a.c3 - b.c3) }

    @inlinable @inline(__always)
    public static prefix func - (a: Fp4) -> Fp4 { Fp4(-a.c0, -a.c1, -a.c2, -a.c3) }

    /// Schoolbook multiplication reduced with `u^4 = 3`. Partial sums of up to three products of
    /// canonical values stay below `3·(p−1)^2 < 2^64`, so each is reduced once.
    @inlinable @inline(__always)
    public static func * (a: Fp4, b: Fp4) -> Fp4 {
        let a0 = UInt64(a.c0.value), a1 = UInt64(a.c1.value), a2 = UInt64(a.c2.value), a3 = UInt64(a.c3.value)
        let b0 = UInt64(b.c0.value), b1 = UInt64(b.c1.value), b2 = UInt64(b.c2.value), b3 = UInt64(b.c3.value)
        let wrap0 = Fp(a1 &* b3 &+ a2 &* b2 &+ a3 &* b1)
        let wrap1 = Fp(a2 &* b3 &+ a3 &* b2)
        let wrap2 = Fp(a3 &* b3)
        let r0 = Fp(a0 &* b0 &+ w &* UInt64(wrap0.value))
        let r1 = Fp(a0 &* b1 &+ a1 &* b0) + Fp(w &* UInt64(wrap1.value))
        let r2 = Fp(a0 &* b2 &+ a1 &* b1 &+ a2 &* b0) + Fp(w &* UInt64(wrap2.value))
        let r3 = Fp(a0 &* b3 &+ a1 &* b2 &+ a2 &* b1) + Fp(a3 &* b0)
        return Fp4(r0, r1, r2, r3)
    }

    /// Multiplication by a base-field element: four base multiplications.
    @inlinable @inline(__always)
    public static func * (a: Fp4, b: Fp) -> Fp4 { Fp4(a.c0 * b, a.c1 * b, a.c2 * b, a.c3 * b) }

    @inlinable @inline(__always)
    public static func + (a: Fp4, b: Fp) -> Fp4 { Fp4(a.c0 + b, a.c1, a.c2, a.c3) }

    @inlinable @inline(__always)
    public static func - (a: Fp4, b: Fp) -> Fp4 { Fp4(a.c0 - b, a.c1, a.c2, a.c3) }

    @inlinable @inline(__always)
    public static func += (a: inout Fp4, b: Fp4) { a = a + b }
    @inlinable @inline(__always)
    public static func -= (a: inout Fp4, b: Fp4) { a = a - b }
    @inlinable @inline(__always)
    public static func *= (a: inout Fp4, b: Fp4) { a = a * b }

    /// `self^exponent` by square-and-multiply.
    public func power(_ exponent: UInt64) -> Fp4 {
        var result = Fp4.one
        var base = self
        var remaining = exponent
        while remaining > 0 {
            if remaining & 1 == 1 { result *= base }
            base *= base
            remaining >>= 1
        }
        return result
    }

    /// The multiplicative inverse through the tower `E = F(v)(u)`, `v = u^2` (spec §1); `0` maps
    /// to `0`.
    public func inverse() -> Fp4 {
        // a·conj(a) = A0^2 − v·A1^2 has only v-coefficients: x + y·v with x in c0, y in c2.
        let conjugate = Fp4(c0, -c1, c2, -c3)
        let norm = self * conjugate
        precondition(norm.c1 == .zero && norm.c3 == .zero, "a·conj(a) lies in F(v)")
        let x = norm.c0, y = norm.c2
        let denominator = (x * x - Fp(Fp4.w) * y * y).inverse()
        let normInverse = Fp4(x * denominator, .zero, -y * denominator, .zero)
        return conjugate * normInverse
    }
}

extension Fp4 {
    /// Coefficient `index` (0...3) of `u^index`.
    @inlinable @inline(__always)
    public func coefficient(_ index: Int) -> Fp {
        precondition(index >= 0 && index <= 3, "an E element has coefficients 0...3")
        switch index {
        case 0: return c0
        case 1: return c1
        case 2: return c2
        default: return c3
        }
    }

    /// `Σ_i u^i·parts[i]`: an extension column's value from its four base columns' values.
    public static func recombine(_ parts: ArraySlice<Fp4>) -> Fp4 {
        precondition(parts.count == 4, "an extension column has four base columns")
        var result = Fp4.zero
        var power = Fp4.one
        for part in parts {
            result += power * part
            power *= Fp4.u
        }
        return result
    }
}
