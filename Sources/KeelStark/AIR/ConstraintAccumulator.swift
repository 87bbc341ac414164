/// The random linear combination of constraint values, one sum per row set: constraint `k`
/// (counted across all sets, in the AIR's order) is weighted by `α^k` (spec/STARK.md §5).
///
/// `masked` drops chosen constraints from the sum while keeping every other weight: the
/// soundness tests use it to show that a tampered trace fails because of one constraint.
struct ConstraintAccumulator: Sendable {
    private(set) var sums = [Fp4](repeating: .zero, count: RowSet.allCases.count)
    private(set) var count = 0
    /// `α^0, α^1, …`, grown on the first point and reused for every later one.
    private var weights: [Fp4] = [.one]
    private let alpha: Fp4
    private let masked: Set<Int>

    init(alpha: Fp4, masked: Set<Int>) {
        self.alpha = alpha
        self.masked = masked
    }

    /// Restarts the sums for the next point, keeping `α` and the mask.
    mutating func reset() {
        for index in sums.indices { sums[index] = .zero }
        count = 0
    }

    /// The weight of the next constraint; a constraint the mask drops gets none.
    private mutating func nextWeight() -> Fp4? {
        if count == weights.count { weights.append(weights[count - 1] * alpha) }
        defer { count += 1 }
        return masked.isEmpty || !masked.contains(count) ? weights[count] : nil
    }

    /// Adds a base constraint's value (four base multiplications).
    mutating func add(_ value: Fp, on rows: RowSet) {
        guard let weight = nextWeight() else { return }
        sums[rows.rawValue] += weight * value
    }

    /// Adds an extension constraint's value.
    mutating func add(_ value: Fp4, on rows: RowSet) {
        guard let weight = nextWeight() else { return }
        sums[rows.rawValue] += weight * value
    }

    func sum(_ rows: RowSet) -> Fp4 { sums[rows.rawValue] }

    /// `Σ_k α^k term_k(x)` from the sums, given the inverses of the row sets' denominators at
    /// `x` (spec §5): `x^N − 1`, `x − 1` and `x − ω^{−1}`, and the transition selector's value.
    func combine(vanishingInverse: Fp4, firstRowInverse: Fp4, lastRowInverse: Fp4, transitionSelector: Fp4) -> Fp4 {
        (sum(.all) + sum(.transition) * transitionSelector) * vanishingInverse
            + sum(.firstRow) * firstRowInverse + sum(.lastRow) * lastRowInverse
    }
}
