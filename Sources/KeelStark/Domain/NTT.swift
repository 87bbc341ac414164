/// The number-theoretic transform over `F` and the low-degree extensions built on it.
///
/// `forward` maps coefficients `a_0..a_{n−1}` to the values `Σ_j a_j ω_n^{ij}` in natural order;
/// `inverse` undoes it. Both are iterative radix-2 Cooley–Tukey (no recursion).
public enum NTT {
    /// Evaluates the polynomial with coefficients `values` on `⟨ω_n⟩`, in place.
    public static func forward(_ values: inout [Fp]) {
        transform(&values, root: Fp.twoAdicGenerator(logSize: logSize(of: values)))
    }

    /// Interpolates values on `⟨ω_n⟩` (natural order) into coefficients, in place.
    public static func inverse(_ values: inout [Fp]) {
        let log = logSize(of: values)
        transform(&values, root: Fp.twoAdicGenerator(logSize: log).inverse())
        let scale = Fp(UInt64(values.count)).inverse()
        for index in values.indices { values[index] *= scale }
    }

    /// The values on `shift·⟨ω_n⟩` (natural order) of the polynomial whose coefficients are
    /// `coefficients`, zero-padded to `n = 2^logSize`.
    public static func evaluate(coefficients: [Fp], onCoset coset: TwoAdicCoset) -> [Fp] {
        precondition(coefficients.count <= coset.size, "more coefficients than points")
        var values = [Fp](repeating: .zero, count: coset.size)
        var power = Fp.one
        for index in coefficients.indices {
            values[index] = coefficients[index] * power
            power *= coset.shift
        }
        forward(&values)
        return values
    }

    /// The coefficients of the polynomial of degree `< n` taking `values` on `shift·⟨ω_n⟩`.
    public static func interpolate(values: [Fp], onCoset coset: TwoAdicCoset) -> [Fp] {
        precondition(values.count == coset.size, "one value per coset point")
        var coefficients = values
        inverse(&coefficients)
        let shiftInverse = coset.shift.inverse()
        var power = Fp.one
        for index in coefficients.indices {
            coefficients[index] *= power
            power *= shiftInverse
        }
        return coefficients
    }

    /// Extends a column given on the subgroup `⟨ω_N⟩` to `coset` (natural order on both sides).
    public static func extend(_ column: [Fp], to coset: TwoAdicCoset) -> [Fp] {
        precondition(column.count <= coset.size, "an extension is at least as large as the column")
        var coefficients = column
        inverse(&coefficients)
        return evaluate(coefficients: coefficients, onCoset: coset)
    }

    private static func logSize(of values: [Fp]) -> Int {
        let count = values.count
        precondition(count > 0 && count & (count - 1) == 0, "an NTT needs a power-of-two size")
        precondition(count.trailingZeroBitCount <= Fp.twoAdicity, "larger than F's 2-adic subgroup")
        return count.trailingZeroBitCount
    }

    private static func transform(_ values: inout [Fp], root: Fp) {
        let count = values.count
        guard count > 1 else { return }
        BitReversal.permute(&values)
        var twiddles = [Fp](repeating: .one, count: count / 2)
        for index in 1..<(count / 2) { twiddles[index] = twiddles[index - 1] * root }
        values.withUnsafeMutableBufferPointer { buffer in
            var half = 1
            while half < count {
                let stride = count / (2 * half)
                var start = 0
                while start < count {
                    for offset in 0..<half {
                        let top = buffer[start + offset]
                        let bottom = buffer[start + offset + half] * twiddles[offset * stride]
                        buffer[start + offset] = top + bottom
                        buffer[start + offset + half] = top - bottom
                    }
                    start += 2 * half
                }
                half *= 2
            }
        }
    }
}
