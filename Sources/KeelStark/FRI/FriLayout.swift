/// The shape of one FRI run (spec/STARK.md §7), fixed by the degree bound and the parameters.
public struct FriLayout: Hashable, Sendable {
    /// `log2` of the degree bound `N` of codeword 0.
    public let logDegreeBound: Int
    public let logBlowup: Int
    /// `log2` of each round's folding arity.
    public let logArities: [Int]
    /// `log2 F_max`: the final polynomial has `F_max` coefficients.
    public let logFinalDegree: Int

    public init(logDegreeBound: Int, parameters: StarkParameters) {
        precondition(logDegreeBound >= 0, "a degree bound is at least 1")
        self.logDegreeBound = logDegreeBound
        self.logBlowup = parameters.logBlowup
        let finalLog = min(logDegreeBound, parameters.logFinalDegree)
        var arities: [Int] = []
        var current = logDegreeBound
        while current > finalLog {
            let step = min(parameters.logArity, current - finalLog)
            arities.append(step)
            current -= step
        }
        logArities = arities
        logFinalDegree = finalLog
    }

    public var roundCount: Int { logArities.count }

    /// `log2` of codeword `round`'s size (`round == roundCount` is the final codeword).
    public func logCodewordSize(round: Int) -> Int {
        precondition(round >= 0 && round <= roundCount, "no such FRI round")
        return logDegreeBound + logBlowup - logArities.prefix(round).reduce(0, +)
    }

    /// The domain of codeword `round`: `s^{2^k}·⟨ω⟩` after folding away `2^k` points per point.
    public func domain(round: Int, initialShift: Fp) -> TwoAdicCoset {
        let folded = logArities.prefix(round).reduce(0, +)
        return TwoAdicCoset(logSize: logCodewordSize(round: round), shift: initialShift.power(UInt64(1) << UInt64(folded)))
    }

    /// The depth of round `round`'s Merkle tree of cosets.
    public func treeDepth(round: Int) -> Int { logCodewordSize(round: round) - logArities[round] }
}
