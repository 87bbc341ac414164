/// The verifier of spec/STARK.md §6: replays the transcript and checks a proof against an AIR
/// statement, never trusting a count, an index or a value the proof carries.
public enum StarkVerifier {
    /// Checks that `bytes` prove `air`'s statement.
    ///
    /// - Throws: `StarkError.malformed` if the bytes are not a proof of this shape,
    ///   `StarkError.invalid` if a check fails.
    @_specialize(exported: true, where A == VmAir)
    @_specialize(exported: true, where A == RangeLookupAir)
    @_specialize(exported: true, where A == FibonacciAir)
    public static func verify<A: Air>(_ air: A, proof bytes: [UInt8], parameters: StarkParameters = .standard) throws(StarkError) {
        if let problem = air.statementProblem { throw .invalid("the statement: \(problem)") }
        let proof = try StarkProof(decoding: bytes, shape: StarkProofShape(air: air, parameters: parameters))
        try verify(air, decoded: proof, parameters: parameters, masked: [])
    }

    /// Checks a decoded proof. It is re-encoded and decoded first, so a value built by hand is
    /// held to the same shape rules as bytes from a peer.
    public static func verify<A: Air>(_ air: A, proof: StarkProof, parameters: StarkParameters = .standard) throws(StarkError) {
        try verify(air, proof: proof.encoded(), parameters: parameters)
    }

    /// The checks, on a proof whose shape decoding has already fixed.
    @_specialize(exported: true, where A == VmAir)
    @_specialize(exported: true, where A == RangeLookupAir)
    @_specialize(exported: true, where A == FibonacciAir)
    static func verify<A: Air>(_ air: A, decoded proof: StarkProof, parameters: StarkParameters, masked: Set<Int>) throws(StarkError) {
        if let problem = parameters.problem { throw .malformed("verifier parameters: \(problem)") }
        if let problem = air.statementProblem { throw .invalid("the statement: \(problem)") }
        let shape = StarkProofShape(air: air, parameters: parameters)
        let logN = proof.logTraceLength
        let lde = TwoAdicCoset(logSize: logN + parameters.logBlowup, shift: .generator)
        let traceDomain = TwoAdicCoset(logSize: logN)
        var transcript = Transcript()
        transcript.absorb("params", parameters.encoded + [UInt8(truncatingIfNeeded: logN)] + air.binding)
        transcript.absorb("main", proof.mainRoot)
        guard transcript.checkGrinding("main-pow", bits: parameters.commitGrindBits, nonce: proof.mainGrindNonce) else {
            throw .invalid("main commitment grinding nonce")
        }
        var challengeStream = transcript.squeeze("challenges")
        let challenges = (0..<air.challengeCount).map { _ in challengeStream.nextExtension() }
        if let auxRoot = proof.auxRoot { transcript.absorb("aux", auxRoot) }
        let alpha = transcript.squeezeExtension("alpha")
        transcript.absorb("quotient", proof.quotientRoot)
        let zeta = drawOutOfDomainPoint(&transcript)
        transcript.absorb("ood", proof.outOfDomainLocal + proof.outOfDomainNext + proof.outOfDomainQuotient)
        let delta = transcript.squeezeExtension("deep")

        guard air.checkPublicColumns(local: Array(proof.outOfDomainLocal.prefix(air.mainWidth)), zeta: zeta, logTraceLength: logN) else {
            throw .invalid("a public column's value at ζ differs from the statement")
        }
        try checkConstraintsAtZeta(air, proof, shape: shape, challenges: challenges, alpha: alpha, zeta: zeta,
                                   traceDomain: traceDomain, masked: masked)

        let layout = FriLayout(logDegreeBound: logN, parameters: parameters)
        let betas = try FriVerifier.replayCommitPhase(proof, layout: layout, parameters: parameters, transcript: &transcript)
        guard transcript.checkGrinding("query-pow", bits: parameters.queryGrindBits, nonce: proof.queryGrindNonce) else {
            throw .invalid("query grinding nonce")
        }
        let positions = drawQueryPositions(&transcript, count: parameters.queryCount, logDomainSize: lde.logSize)
        let rows = try openedRows(proof, shape: shape, positions: positions, depth: lde.logSize)
        let deep = DeepComposition(delta: delta, zeta: zeta, traceGenerator: traceDomain.generator,
                                   local: proof.outOfDomainLocal, next: proof.outOfDomainNext, quotient: proof.outOfDomainQuotient)
        var initialValues: [Int: Fp4] = [:]
        for (index, position) in positions.enumerated() {
            let x = Fp4(lde.element(bitReversedPosition: position))
            initialValues[position] = deep.value(
                committed: rows.committed[index], quotient: rows.quotient[index],
                inverseToZeta: (x - deep.zeta).inverse(), inverseToZetaNext: (x - deep.zetaNext).inverse())
        }
        try FriVerifier.checkQueries(proof, initialValues: initialValues, betas: betas, layout: layout, lde: lde)
    }

    /// The composition at `ζ`, from the claimed column values, against the claimed quotient.
    private static func checkConstraintsAtZeta<A: Air>(
        _ air: A, _ proof: StarkProof, shape: StarkProofShape, challenges: [Fp4], alpha: Fp4, zeta: Fp4,
        traceDomain: TwoAdicCoset, masked: Set<Int>
    ) throws(StarkError) {
        let mainWidth = shape.mainWidth
        let auxLocal = stride(from: mainWidth, to: proof.outOfDomainLocal.count, by: 4).map {
            Fp4.recombine(proof.outOfDomainLocal[$0..<($0 + 4)])
        }
        let auxNext = stride(from: mainWidth, to: proof.outOfDomainNext.count, by: 4).map {
            Fp4.recombine(proof.outOfDomainNext[$0..<($0 + 4)])
        }
        var folder = OutOfDomainFolder(
            mainLocal: Array(proof.outOfDomainLocal[0..<mainWidth]), mainNextRow: Array(proof.outOfDomainNext[0..<mainWidth]),
            auxLocal: auxLocal, auxNextRow: auxNext, challenges: challenges,
            auxPublicValues: air.auxPublicValues(challenges: challenges, logTraceLength: traceDomain.logSize),
            accumulator: ConstraintAccumulator(alpha: alpha, masked: masked))
        air.evaluate(&folder)
        let zetaToN = zeta.power(UInt64(traceDomain.size))
        let omegaInverse = Fp4(traceDomain.generator.inverse())
        let composed = folder.accumulator.combine(
            vanishingInverse: (zetaToN - .one).inverse(), firstRowInverse: (zeta - .one).inverse(),
            lastRowInverse: (zeta - omegaInverse).inverse(), transitionSelector: zeta - omegaInverse)
        var claimed = Fp4.zero
        var chunkWeight = Fp4.one
        for chunk in stride(from: 0, to: proof.outOfDomainQuotient.count, by: 4) {
            claimed += chunkWeight * Fp4.recombine(proof.outOfDomainQuotient[chunk..<(chunk + 4)])
            chunkWeight *= zetaToN
        }
        guard composed == claimed else { throw .invalid("the constraints at ζ do not match the committed quotient") }
    }

    /// Authenticates every trace opening at the rows of `positions` and returns, per position,
    /// the committed (main then aux) row and the quotient row.
    private static func openedRows(
        _ proof: StarkProof, shape: StarkProofShape, positions: [Int], depth: Int
    ) throws(StarkError) -> (committed: [[Fp]], quotient: [[Fp]]) {
        let roots = [proof.mainRoot] + (proof.auxRoot.map { [$0] } ?? []) + [proof.quotientRoot]
        precondition(roots.count == proof.traceOpenings.count, "decoding fixed one opening per matrix")
        let rows = positions.map { BitReversal.reverse($0, bits: depth) }.sorted()
        for (matrix, opening) in proof.traceOpenings.enumerated() {
            guard opening.rows.count == rows.count else { throw .invalid("trace opening \(matrix): wrong number of rows") }
            let leaves = zip(rows, opening.rows).map { (index: $0, hash: MerkleHashing.leaf($1)) }
            guard MerkleHashing.verify(root: roots[matrix], depth: depth, leaves: leaves, siblings: opening.siblings) else {
                throw .invalid("trace opening \(matrix) does not match its root")
            }
        }
        let slot = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
        let committedMatrices = proof.traceOpenings.dropLast()
        let quotientRows = proof.traceOpenings[proof.traceOpenings.count - 1].rows
        let committed = positions.map { position in
            committedMatrices.flatMap { $0.rows[slot[BitReversal.reverse(position, bits: depth)]!] }
        }
        return (committed, positions.map { quotientRows[slot[BitReversal.reverse($0, bits: depth)]!] })
    }
}
