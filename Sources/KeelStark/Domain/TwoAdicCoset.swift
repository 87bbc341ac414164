/// The multiplicative coset `shift·⟨ω_n⟩`, `n = 2^logSize` (spec/STARK.md §2): the trace domain
/// (shift 1), the LDE domain, the quotient domain and every FRI round's domain.
public struct TwoAdicCoset: Hashable, Sendable {
    public let logSize: Int
    public let shift: Fp
    /// `ω_n`.
    public let generator: Fp

    public init(logSize: Int, shift: Fp = .one) {
        precondition(shift != .zero, "a coset's shift is nonzero")
        self.logSize = logSize
        self.shift = shift
        self.generator = Fp.twoAdicGenerator(logSize: logSize)
    }

    public var size: Int { 1 << logSize }

    /// The element at natural index `index`: `shift·ω_n^index`.
    public func element(naturalIndex index: Int) -> Fp {
        shift * generator.power(UInt64(index))
    }

    /// The element held at position `position` of a bit-reversed codeword.
    public func element(bitReversedPosition position: Int) -> Fp {
        element(naturalIndex: BitReversal.reverse(position, bits: logSize))
    }

    /// Every element in natural order.
    public func elements() -> [Fp] {
        var result = [Fp](repeating: .zero, count: size)
        var current = shift
        for index in 0..<size {
            result[index] = current
            current *= generator
        }
        return result
    }

    /// The vanishing polynomial of the subgroup `⟨ω_n⟩`, `x^n − 1`, at `point`.
    public func vanishingPolynomialOfSubgroup<Value: FieldAlgebra>(at point: Value) -> Value {
        var power = point
        for _ in 0..<logSize { power = power * power }
        return power - .one
    }
}
