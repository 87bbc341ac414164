/// The verifier's side of FRI (spec/STARK.md §7).
enum FriVerifier {
    /// Replays the commit phase: absorbs every round root, checks its grinding, draws its `β`,
    /// then absorbs the final polynomial.
    ///
    /// - Returns: The round challenges `β_r`.
    static func replayCommitPhase(
        _ proof: StarkProof, layout: FriLayout, parameters: StarkParameters, transcript: inout Transcript
    ) throws(StarkError) -> [Fp4] {
        var betas: [Fp4] = []
        for round in proof.friRounds {
            transcript.absorb("fri", round.root)
            guard transcript.checkGrinding("fri-pow", bits: parameters.foldGrindBits, nonce: round.grindNonce) else {
                throw .invalid("FRI round grinding nonce")
            }
            betas.append(transcript.squeezeExtension("fri-beta"))
        }
        precondition(proof.finalPolynomial.count == 1 << layout.logFinalDegree, "decoding fixed the final degree")
        transcript.absorb("fri-final", proof.finalPolynomial)
        return betas
    }

    /// Checks every round's openings and the final polynomial at the queried positions.
    ///
    /// - Parameter initialValues: Codeword 0's value at each distinct query position, as the
    ///   trace openings give it.
    static func checkQueries(
        _ proof: StarkProof, initialValues: [Int: Fp4], betas: [Fp4], layout: FriLayout, lde: TwoAdicCoset
    ) throws(StarkError) {
        var values = initialValues
        for round in 0..<layout.roundCount {
            let arity = 1 << layout.logArities[round]
            let domain = layout.domain(round: round, initialShift: lde.shift)
            let leaves = Array(Set(values.keys.map { $0 / arity })).sorted()
            let opening = proof.friOpenings[round]
            guard opening.cosets.count == leaves.count else { throw .invalid("FRI round \(round): wrong number of cosets") }
            let hashed = zip(leaves, opening.cosets).map { (index: $0, hash: MerkleHashing.leaf($1.flatMap(\.coefficients))) }
            guard MerkleHashing.verify(root: proof.friRounds[round].root, depth: layout.treeDepth(round: round),
                                       leaves: hashed, siblings: opening.siblings) else {
                throw .invalid("FRI round \(round): opening does not match its root")
            }
            let cosets = Dictionary(uniqueKeysWithValues: zip(leaves, opening.cosets))
            for position in values.keys.sorted() where cosets[position / arity]![position % arity] != values[position]! {
                throw .invalid("FRI round \(round): codeword value differs from the previous round's fold")
            }
            var folded: [Int: Fp4] = [:]
            for leaf in leaves {
                folded[leaf] = FriFolding.foldCoset(cosets[leaf]!, leaf: leaf, domain: domain, beta: betas[round])
            }
            values = folded
        }
        let finalDomain = layout.domain(round: layout.roundCount, initialShift: lde.shift)
        for (position, value) in values.sorted(by: { $0.key < $1.key }) {
            let x = finalDomain.element(bitReversedPosition: position)
            var evaluation = Fp4.zero
            for coefficient in proof.finalPolynomial.reversed() { evaluation = evaluation * x + coefficient }
            guard evaluation == value else { throw .invalid("FRI final polynomial differs from the last codeword") }
        }
    }
}
