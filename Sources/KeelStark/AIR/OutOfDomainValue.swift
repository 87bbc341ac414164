/// An extension value at the out-of-domain point, as the verifier's constraints see it.
///
/// At `ζ` base columns already have values in `E`, so extension values are `E` too; this wrapper
/// only gives them a type distinct from the base values, which the `ConstraintBuilder`
/// protocol needs to tell the two kinds of constraint apart.
public struct OutOfDomainValue: ExtensionAlgebra, Hashable {
    public typealias Base = Fp4
    public var value: Fp4

    @inlinable @inline(__always)
    public init(value: Fp4) { self.value = value }
    public static let zero = OutOfDomainValue(value: .zero)
    public static let one = OutOfDomainValue(value: .one)
    public init(_ base: Fp) { value = Fp4(base) }
    public init(base: Fp4) { value = base }
    public init(constant: Fp4) { value = constant }

    public static func + (a: Self, b: Self) -> Self { Self(value: a.value + b.value) }
    public static func - (a: Self, b: Self) -> Self { Self(value: a.value - b.value) }
    public static func * (a: Self, b: Self) -> Self { Self(value: a.value * b.value) }
    public static func * (a: Self, b: Fp4) -> Self { Self(value: a.value * b) }
    public static prefix func - (a: Self) -> Self { Self(value: -a.value) }
}
