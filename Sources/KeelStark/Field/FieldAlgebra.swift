/// The ring operations shared by `Fp`, `Fp4` and the verifier's symbolic values, so one AIR's
/// constraints are written once and evaluated by the prover (in `F` and `E`) and the verifier
/// (in `E`, at the out-of-domain point).
public protocol FieldAlgebra: Equatable, Sendable {
    static var zero: Self { get }
    static var one: Self { get }
    /// Embeds a base-field constant.
    init(_ base: Fp)
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static prefix func - (a: Self) -> Self
}

/// A field: an algebra with inverses (of nonzero elements).
public protocol FieldElement: FieldAlgebra {
    func inverse() -> Self
}

extension FieldAlgebra {
    /// `self · self`.
    @inlinable @inline(__always)
    public var squared: Self { self * self }
}
