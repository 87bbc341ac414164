/// Evaluates trace polynomials, given by their values on `H = ⟨ω_N⟩`, at a point off `H`:
/// `p(z) = (z^N − 1)/N · Σ_i v_i·ω^i/(z − ω^i)`. The weights are shared by every column.
/// With `count < N` only the first `count` rows have weights: for columns that are zero past
/// them (the verifier's program table), in O(count).
struct Barycentric {
    let weights: [Fp4]

    init(point: Fp4, traceDomain: TwoAdicCoset, count: Int? = nil) {
        precondition(traceDomain.shift == .one, "the trace domain is the subgroup itself")
        let count = count ?? traceDomain.size
        precondition(count >= 0 && count <= traceDomain.size, "at most one weight per row")
        var points = [Fp](repeating: .one, count: count)
        for index in points.indices.dropFirst() { points[index] = points[index - 1] * traceDomain.generator }
        let inverses = BatchInversion.invert(points.map { point - $0 })
        let scale = traceDomain.vanishingPolynomialOfSubgroup(at: point) * Fp(UInt64(traceDomain.size)).inverse()
        weights = zip(points, inverses).map { scale * ($1 * $0) }
    }

    /// The polynomial at the point, from `column`'s first `weights.count` values (the rest are
    /// taken as zero).
    func evaluate(_ column: [Fp]) -> Fp4 {
        precondition(column.count == weights.count, "one value per weighted row")
        var sum = Fp4.zero
        for index in column.indices { sum += weights[index] * column[index] }
        return sum
    }
}
