/// Where, in a benchmark's rows, proof verification becomes cheaper than re-execution.
///
/// "Cheaper from s on" means verifying took strictly less time than the baseline at `s` and at
/// every larger measured size, so one noisy row cannot announce a crossover the larger sizes
/// contradict.
struct ReexecVsProofCrossover: Equatable, Sendable {
    /// How proof verification compares with one baseline across the measured sizes.
    enum Outcome: Equatable, Sendable {
        /// Cheaper at every measured size, the smallest included.
        case everywhere
        /// Cheaper from this requested step count on, and not just below it.
        case from(steps: UInt64)
        /// Cheaper at these sizes, but not at the largest one.
        case isolated(steps: [UInt64])
        /// Never cheaper in the measured range (or no rows).
        case never
    }

    /// Proof verification against stateless re-execution.
    let versusStateless: Outcome
    /// Proof verification against full re-execution.
    let versusFull: Outcome
    /// Proof verification against both at once (cheaper than each).
    let versusBoth: Outcome

    /// Compares the rows' proof verification with both re-execution methods.
    ///
    /// - Parameter rows: The rows sorted by `steps`.
    init(sortedRows rows: [ReexecVsProofRow]) {
        precondition(zip(rows, rows.dropFirst()).allSatisfy { $0.steps <= $1.steps }, "rows must be sorted")
        versusStateless = Self.outcome(rows) { $0.proofVerifyNs < $0.statelessReexecNs }
        versusFull = Self.outcome(rows) { $0.proofVerifyNs < $0.fullReexecNs }
        versusBoth = Self.outcome(rows) { $0.proofVerifyNs < min($0.statelessReexecNs, $0.fullReexecNs) }
    }

    /// Classifies where `isCheaper` holds across the sorted rows.
    static func outcome(_ rows: [ReexecVsProofRow], isCheaper: (ReexecVsProofRow) -> Bool) -> Outcome {
        let cheaper = rows.map(isCheaper)
        precondition(cheaper.count == rows.count)
        guard let last = cheaper.last, last else {
            let wins = zip(rows, cheaper).filter { $0.1 }.map { $0.0.steps }
            return wins.isEmpty ? .never : .isolated(steps: wins)
        }
        // The first index of the run of `true` that reaches the end.
        var start = cheaper.count - 1
        while start > 0, cheaper[start - 1] { start -= 1 }
        return start == 0 ? .everywhere : .from(steps: rows[start].steps)
    }
}
