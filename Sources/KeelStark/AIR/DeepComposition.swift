/// The DEEP quotient `f0` of spec/STARK.md §6 step 7 at one point, shared by the prover (every
/// point of the LDE domain) and the verifier (each query), so both combine the same way.
struct DeepComposition: Sendable {
    let zeta: Fp4
    let zetaNext: Fp4
    /// `δ^c` for the committed main and aux base columns, at `ζ`.
    private let localWeights: [Fp4]
    /// `δ^{m+c}`, at `ζω`.
    private let nextWeights: [Fp4]
    /// `δ^{2m+j}` for the quotient base columns.
    private let quotientWeights: [Fp4]
    /// `Σ_c δ^c t_c(ζ) + Σ_j δ^{2m+j} Q_j(ζ)` and `Σ_c δ^{m+c} t_c(ζω)`.
    private let atZeta: Fp4
    private let atZetaNext: Fp4

    init(delta: Fp4, zeta: Fp4, traceGenerator: Fp, local: [Fp4], next: [Fp4], quotient: [Fp4]) {
        precondition(local.count == next.count, "each committed column is opened at ζ and ζω")
        let count = 2 * local.count + quotient.count
        var powers = [Fp4](repeating: .one, count: count)
        for index in powers.indices.dropFirst() { powers[index] = powers[index - 1] * delta }
        localWeights = Array(powers[0..<local.count])
        nextWeights = Array(powers[local.count..<(2 * local.count)])
        quotientWeights = Array(powers[(2 * local.count)...])
        self.zeta = zeta
        zetaNext = zeta * traceGenerator
        atZeta = zip(localWeights, local).reduce(Fp4.zero) { $0 + $1.0 * $1.1 }
            + zip(quotientWeights, quotient).reduce(Fp4.zero) { $0 + $1.0 * $1.1 }
        atZetaNext = zip(nextWeights, next).reduce(Fp4.zero) { $0 + $1.0 * $1.1 }
    }

    /// `f0(x)` from the committed columns' values at `x` (main then aux base columns), the
    /// quotient columns' values, and `1/(x − ζ)`, `1/(x − ζω)`.
    func value(committed: [Fp], quotient: [Fp], inverseToZeta: Fp4, inverseToZetaNext: Fp4) -> Fp4 {
        precondition(committed.count == localWeights.count && quotient.count == quotientWeights.count, "row widths")
        var sumAtZeta = Fp4.zero
        var sumAtZetaNext = Fp4.zero
        for index in committed.indices {
            sumAtZeta += localWeights[index] * committed[index]
            sumAtZetaNext += nextWeights[index] * committed[index]
        }
        for index in quotient.indices { sumAtZeta += quotientWeights[index] * quotient[index] }
        return (sumAtZeta - atZeta) * inverseToZeta + (sumAtZetaNext - atZetaNext) * inverseToZetaNext
    }

    /// `f0` at every point of a domain at once (the prover's side), column by column so that
    /// each column is read in order: the same sums as `value`, in another order of addition.
    ///
    /// - Parameters:
    ///   - committed: The main then aux base columns on the domain (natural order).
    ///   - quotient: The quotient base columns on the domain.
    ///   - points: The domain's points, for `1/(x − ζ)` and `1/(x − ζω)`.
    func values(committed: [[Fp]], quotient: [[Fp]], points: [Fp]) -> [Fp4] {
        precondition(committed.count == localWeights.count && quotient.count == quotientWeights.count, "column counts")
        var result = [Fp4](repeating: .zero, count: points.count)
        result.withUnsafeMutableBufferPointer { buffer in
            let output = UnsafeMutableBufferPointerBox(buffer)
            Parallel.forRanges(points.count) { range in
                var atZetaSums = [Fp4](repeating: .zero, count: range.count)
                var atZetaNextSums = atZetaSums
                for (index, column) in committed.enumerated() {
                    let local = localWeights[index], next = nextWeights[index]
                    for point in range {
                        atZetaSums[point - range.lowerBound] += local * column[point]
                        atZetaNextSums[point - range.lowerBound] += next * column[point]
                    }
                }
                for (index, column) in quotient.enumerated() {
                    let weight = quotientWeights[index]
                    for point in range { atZetaSums[point - range.lowerBound] += weight * column[point] }
                }
                let toZeta = BatchInversion.invert(points[range].map { Fp4($0) - zeta })
                let toZetaNext = BatchInversion.invert(points[range].map { Fp4($0) - zetaNext })
                for offset in 0..<range.count {
                    output.buffer[range.lowerBound + offset] = (atZetaSums[offset] - atZeta) * toZeta[offset]
                        + (atZetaNextSums[offset] - atZetaNext) * toZetaNext[offset]
                }
            }
        }
        return result
    }
}
