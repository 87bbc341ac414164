/// The prover's side of FRI (spec/STARK.md §7): commits each round's codeword as cosets, folds
/// with the transcript's `β`, and keeps every round to answer the queries.
struct FriProver {
    let layout: FriLayout
    private var codewords: [[Fp4]] = []
    private var trees: [MerkleCommitment] = []
    private(set) var rounds: [FriRoundCommitment] = []
    private(set) var finalPolynomial: [Fp4] = []

    /// Runs the commit phase on `codeword` (bit-reversed, on `domain`).
    init(codeword: [Fp4], domain: TwoAdicCoset, layout: FriLayout, parameters: StarkParameters, transcript: inout Transcript) {
        precondition(codeword.count == 1 << (layout.logDegreeBound + layout.logBlowup), "codeword 0 covers the LDE domain")
        precondition(domain.size == codeword.count, "one value per domain point")
        self.layout = layout
        var current = codeword
        for round in 0..<layout.roundCount {
            let arity = 1 << layout.logArities[round]
            let tree = MerkleCommitment(leafCount: current.count / arity) { leaf in
                current[(leaf * arity)..<((leaf + 1) * arity)].flatMap(\.coefficients)
            }
            transcript.absorb("fri", tree.root)
            let nonce = transcript.grind("fri-pow", bits: parameters.foldGrindBits)
            let beta = transcript.squeezeExtension("fri-beta")
            codewords.append(current)
            trees.append(tree)
            rounds.append(FriRoundCommitment(root: tree.root, grindNonce: nonce))
            current = FriFolding.fold(current, domain: layout.domain(round: round, initialShift: domain.shift),
                                      logArity: layout.logArities[round], beta: beta)
        }
        finalPolynomial = FriProver.lowCoefficients(
            of: current, domain: layout.domain(round: layout.roundCount, initialShift: domain.shift),
            count: 1 << layout.logFinalDegree)
        transcript.absorb("fri-final", finalPolynomial)
    }

    /// The openings of every round for the query positions (into codeword 0).
    func open(positions: [Int]) -> [FriRoundOpening] {
        (0..<layout.roundCount).map { round in
            let folded = layout.logArities.prefix(round).reduce(0, +)
            let arity = 1 << layout.logArities[round]
            let leaves = Array(Set(positions.map { ($0 >> folded) / arity })).sorted()
            let cosets = leaves.map { Array(codewords[round][($0 * arity)..<(($0 + 1) * arity)]) }
            return FriRoundOpening(cosets: cosets, siblings: trees[round].siblings(opening: leaves))
        }
    }

    /// The first `count` coefficients of the polynomial taking the bit-reversed `codeword` on
    /// `domain`. An honest codeword has no others; a dishonest one is cut, and the verifier's
    /// final-point checks catch it.
    static func lowCoefficients(of codeword: [Fp4], domain: TwoAdicCoset, count: Int) -> [Fp4] {
        var natural = codeword
        BitReversal.permute(&natural)
        let components = (0..<4).map { component in
            NTT.interpolate(values: natural.map { $0.coefficients[component] }, onCoset: domain)
        }
        return (0..<count).map { Fp4(components[0][$0], components[1][$0], components[2][$0], components[3][$0]) }
    }
}
