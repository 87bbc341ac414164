/// Evaluates trace polynomials, given by their values on `H = ⟨ω_N⟩`, at a point off `H`:
/// `p(z) = (z^N − 1)/N · Σ_i v_i·ω^i/(z − ω^i)`. The weights are shared by every column.
struct Barycentric {
    let weights: [Fp4]

    init(point: Fp4, traceDomain: TwoAdicCoset) {
        precondition(traceDomain.shift == .one, "the trace domain is the subgroup itself")
        let points = traceDomain.elements()
        let inverses = BatchInversion.invert(points.map { point - $0 })
        let scale = traceDomain.vanishingPolynomialOfSubgroup(at: point) * Fp(UInt64(traceDomain.size)).inverse()
        weights = zip(points, inverses).map { scale * ($1 * $0) }
    }

    func evaluate(_ column: [Fp]) -> Fp4 {
        precondition(column.count == weights.count, "one value per trace row")
        var sum = Fp4.zero
        for index in column.indices { sum += weights[index] * column[index] }
        return sum
    }
}
