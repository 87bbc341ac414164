/// The fold of spec/STARK.md §7, shared by the prover (whole codewords) and the verifier (one
/// coset per query), so the two cannot compute it differently.
public enum FriFolding {
    /// `1/2` in `F`.
    static let half = Fp(2).inverse()

    /// `g(x^2) = (f(x) + f(−x))/2 + β·(f(x) − f(−x))/(2x)`, given `1/(2x)`.
    @inline(__always)
    static func foldPair(_ positive: Fp4, _ negative: Fp4, beta: Fp4, halfInverseX: Fp) -> Fp4 {
        (positive + negative) * half + beta * ((positive - negative) * halfInverseX)
    }

    /// Folds a bit-reversed codeword on `domain` by two: position `k` of the result pairs
    /// positions `2k` and `2k+1`, at `x = shift·ω^{rev(k)}` and `−x`.
    public static func foldByTwo(_ codeword: [Fp4], domain: TwoAdicCoset, beta: Fp4) -> [Fp4] {
        precondition(codeword.count == domain.size && codeword.count >= 2, "one value per domain point")
        let halfCount = codeword.count / 2
        let halfBits = domain.logSize - 1
        let inverseGenerator = domain.generator.inverse()
        var inversePowers = [Fp](repeating: .one, count: halfCount)
        for index in 1..<max(halfCount, 1) { inversePowers[index] = inversePowers[index - 1] * inverseGenerator }
        let halfInverseShift = (domain.shift * Fp(2)).inverse()
        var folded = [Fp4](repeating: .zero, count: halfCount)
        for index in 0..<halfCount {
            let halfInverseX = halfInverseShift * inversePowers[BitReversal.reverse(index, bits: halfBits)]
            folded[index] = foldPair(codeword[2 * index], codeword[2 * index + 1], beta: beta, halfInverseX: halfInverseX)
        }
        return folded
    }

    /// Folds a bit-reversed codeword by `2^logArity` with `β, β^2, β^4, …`.
    public static func fold(_ codeword: [Fp4], domain: TwoAdicCoset, logArity: Int, beta: Fp4) -> [Fp4] {
        var current = codeword
        var currentDomain = domain
        var power = beta
        for _ in 0..<logArity {
            current = foldByTwo(current, domain: currentDomain, beta: power)
            currentDomain = TwoAdicCoset(logSize: currentDomain.logSize - 1, shift: currentDomain.shift.squared)
            power = power.squared
        }
        return current
    }

    /// The verifier's fold of one coset: `values` sit at positions `leaf·a … leaf·a + a − 1` of
    /// the codeword on `domain`; returns the folded value at position `leaf`.
    public static func foldCoset(_ values: [Fp4], leaf: Int, domain: TwoAdicCoset, beta: Fp4) -> Fp4 {
        precondition(values.count >= 1 && values.count & (values.count - 1) == 0, "a coset of 2^k values")
        var current = values
        var base = leaf * values.count
        var logSize = domain.logSize
        var shift = domain.shift
        var power = beta
        while current.count > 1 {
            let generator = Fp.twoAdicGenerator(logSize: logSize)
            var next = [Fp4](repeating: .zero, count: current.count / 2)
            for pair in 0..<next.count {
                let position = base / 2 + pair
                let x = shift * generator.power(UInt64(BitReversal.reverse(position, bits: logSize - 1)))
                next[pair] = foldPair(current[2 * pair], current[2 * pair + 1], beta: power, halfInverseX: (x * Fp(2)).inverse())
            }
            current = next
            base /= 2
            logSize -= 1
            shift = shift.squared
            power = power.squared
        }
        return current[0]
    }
}
