/// The prover of spec/STARK.md §6: commits to a trace of an AIR and proves it satisfies the
/// AIR's constraints.
public enum StarkProver {
    /// How a prover deviates from the honest one. Only the soundness tests deviate.
    struct Options {
        /// Refuse a trace that breaks a constraint before committing (the honest prover).
        var checkConstraints = true
        /// Constraints left out of the composition (matched by a verifier with the same mask).
        var maskedConstraints: Set<Int> = []
        /// Replaces the aux trace after it is built from the challenges.
        var auxOverride: (@Sendable ([[Fp4]]) -> [[Fp4]])?
        static let honest = Options()
    }

    /// Proves that `trace` (column-major: `air.mainWidth` columns of `N = 2^n` values) satisfies
    /// `air`.
    ///
    /// - Throws: `StarkProvingError` if the trace has the wrong shape or breaks a constraint.
    @_specialize(exported: true, where A == VmAir)
    @_specialize(exported: true, where A == RangeLookupAir)
    @_specialize(exported: true, where A == FibonacciAir)
    public static func prove<A: Air>(_ air: A, trace: [[Fp]], parameters: StarkParameters = .standard) throws(StarkProvingError) -> StarkProof {
        try prove(air, trace: trace, parameters: parameters, options: .honest)
    }

    @_specialize(exported: true, where A == VmAir)
    @_specialize(exported: true, where A == RangeLookupAir)
    @_specialize(exported: true, where A == FibonacciAir)
    static func prove<A: Air>(_ air: A, trace: [[Fp]], parameters: StarkParameters, options: Options) throws(StarkProvingError) -> StarkProof {
        try proveReportingFailures(air, trace: trace, parameters: parameters, options: options).proof
    }

    /// Proves, and returns the constraints the trace breaks (always empty when
    /// `options.checkConstraints`, which throws instead).
    @_specialize(exported: true, where A == VmAir)
    @_specialize(exported: true, where A == RangeLookupAir)
    @_specialize(exported: true, where A == FibonacciAir)
    static func proveReportingFailures<A: Air>(
        _ air: A, trace: [[Fp]], parameters: StarkParameters, options: Options
    ) throws(StarkProvingError) -> (proof: StarkProof, failingConstraints: Set<Int>) {
        let shape = StarkProofShape(air: air, parameters: parameters)
        let logN = try checkShape(air, trace: trace, shape: shape)
        let lde = TwoAdicCoset(logSize: logN + parameters.logBlowup, shift: .generator)
        var transcript = Transcript()
        transcript.absorb("params", parameters.encoded + [UInt8(truncatingIfNeeded: logN)] + air.binding)

        let main = CommittedMatrix(ldeColumns: Parallel.map(trace) { NTT.extend($0, to: lde) }, logSize: lde.logSize)
        transcript.absorb("main", main.tree.root)
        let mainNonce = transcript.grind("main-pow", bits: parameters.commitGrindBits)
        var challengeStream = transcript.squeeze("challenges")
        let challenges = (0..<air.challengeCount).map { _ in challengeStream.nextExtension() }

        let builtAux = air.buildAuxTrace(main: trace, challenges: challenges)
        let auxTrace = options.auxOverride?(builtAux) ?? builtAux
        precondition(auxTrace.count == air.auxWidth, "the AIR built its declared aux columns")
        let auxBase = auxTrace.flatMap { column in (0..<4).map { component in column.map { $0.coefficient(component) } } }
        let aux = auxBase.isEmpty ? nil : CommittedMatrix(ldeColumns: Parallel.map(auxBase) { NTT.extend($0, to: lde) }, logSize: lde.logSize)
        if let aux { transcript.absorb("aux", aux.tree.root) }
        var failingConstraints: Set<Int> = []
        if options.checkConstraints {
            try TraceConstraintChecker.check(air, main: trace, aux: auxTrace, challenges: challenges)
        } else {
            failingConstraints = TraceConstraintChecker.failingConstraints(air, main: trace, aux: auxTrace, challenges: challenges)
        }

        let alpha = transcript.squeezeExtension("alpha")
        let quotient = commitQuotient(air, main: main, aux: aux, challenges: challenges, alpha: alpha, logN: logN,
                                      chunkCount: shape.quotientWidth / 4, lde: lde, masked: options.maskedConstraints)
        transcript.absorb("quotient", quotient.matrix.tree.root)

        let zeta = drawOutOfDomainPoint(&transcript)
        let deep = openOutOfDomain(committedTrace: trace + auxBase, quotientCoefficients: quotient.coefficients,
                                   zeta: zeta, logN: logN, transcript: &transcript)
        let committed = [main] + (aux.map { [$0] } ?? [])
        let codeword = deepCodeword(deep.composition, committed: committed, quotient: quotient.matrix, lde: lde)
        let fri = FriProver(codeword: codeword, domain: lde, layout: FriLayout(logDegreeBound: logN, parameters: parameters),
                            parameters: parameters, transcript: &transcript)

        let queryNonce = transcript.grind("query-pow", bits: parameters.queryGrindBits)
        let positions = drawQueryPositions(&transcript, count: parameters.queryCount, logDomainSize: lde.logSize)
        let proof = StarkProof(
            logTraceLength: logN, mainRoot: main.tree.root, auxRoot: aux?.tree.root, quotientRoot: quotient.matrix.tree.root,
            mainGrindNonce: mainNonce, outOfDomainLocal: deep.local, outOfDomainNext: deep.next,
            outOfDomainQuotient: deep.quotient, friRounds: fri.rounds, finalPolynomial: fri.finalPolynomial,
            queryGrindNonce: queryNonce, traceOpenings: (committed + [quotient.matrix]).map { $0.opening(positions) },
            friOpenings: fri.open(positions: positions))
        return (proof, failingConstraints)
    }

    /// `Q` on the quotient domain, split into chunks (coefficients) and committed on the LDE.
    private static func commitQuotient<A: Air>(
        _ air: A, main: CommittedMatrix, aux: CommittedMatrix?, challenges: [Fp4], alpha: Fp4, logN: Int,
        chunkCount: Int, lde: TwoAdicCoset, masked: Set<Int>
    ) -> (matrix: CommittedMatrix, coefficients: [[Fp]]) {
        let values = QuotientEvaluation.values(
            air, main: main.columns, aux: aux?.columns ?? [], challenges: challenges, alpha: alpha,
            logTraceLength: logN, logBlowup: lde.logSize - logN, chunkCount: chunkCount, masked: masked)
        let coefficients = QuotientEvaluation.split(values, logTraceLength: logN, chunkCount: chunkCount)
        let matrix = CommittedMatrix(ldeColumns: Parallel.map(coefficients) { NTT.evaluate(coefficients: $0, onCoset: lde) }, logSize: lde.logSize)
        return (matrix, coefficients)
    }

    /// The out-of-domain values of spec §6 step 6, absorbed, and the DEEP combination with the
    /// `δ` drawn after them.
    private static func openOutOfDomain(
        committedTrace: [[Fp]], quotientCoefficients: [[Fp]], zeta: Fp4, logN: Int, transcript: inout Transcript
    ) -> (local: [Fp4], next: [Fp4], quotient: [Fp4], composition: DeepComposition) {
        let traceDomain = TwoAdicCoset(logSize: logN)
        let atZeta = Barycentric(point: zeta, traceDomain: traceDomain)
        let atZetaNext = Barycentric(point: zeta * traceDomain.generator, traceDomain: traceDomain)
        let local = Parallel.map(committedTrace) { atZeta.evaluate($0) }
        let next = Parallel.map(committedTrace) { atZetaNext.evaluate($0) }
        let quotient = quotientCoefficients.map { coefficients in
            coefficients.reversed().reduce(Fp4.zero) { $0 * zeta + Fp4($1) }
        }
        transcript.absorb("ood", local + next + quotient)
        let delta = transcript.squeezeExtension("deep")
        let composition = DeepComposition(delta: delta, zeta: zeta, traceGenerator: traceDomain.generator,
                                          local: local, next: next, quotient: quotient)
        return (local, next, quotient, composition)
    }

    /// `log2 N` of a trace that fits `air` and the parameters.
    private static func checkShape<A: Air>(_ air: A, trace: [[Fp]], shape: StarkProofShape) throws(StarkProvingError) -> Int {
        if let problem = shape.parameters.problem { throw .badTrace("parameters: \(problem)") }
        guard trace.count == air.mainWidth else { throw .badTrace("\(trace.count) columns, the AIR has \(air.mainWidth)") }
        let rowCount = trace.first?.count ?? 0
        guard rowCount > 0, rowCount & (rowCount - 1) == 0 else { throw .badTrace("\(rowCount) rows is not a power of two") }
        guard trace.allSatisfy({ $0.count == rowCount }) else { throw .badTrace("columns of different lengths") }
        let logN = rowCount.trailingZeroBitCount
        guard shape.allows(logTraceLength: logN) else {
            throw .badTrace("2^\(logN) rows outside 2^\(shape.logTraceLengthLeast)...2^\(shape.logTraceLengthGreatest)")
        }
        guard shape.quotientWidth / 4 <= 1 << shape.parameters.logBlowup else { throw .badTrace("blowup below the quotient degree") }
        return logN
    }

    /// `f0` on the LDE domain, in bit-reversed order (codeword 0 of FRI).
    private static func deepCodeword(_ deep: DeepComposition, committed: [CommittedMatrix], quotient: CommittedMatrix, lde: TwoAdicCoset) -> [Fp4] {
        var codeword = deep.values(committed: committed.flatMap(\.columns), quotient: quotient.columns, points: lde.elements())
        BitReversal.permute(&codeword)
        return codeword
    }
}

/// `squeeze("zeta")` until the point lies outside `F` (spec §6 step 5), so `ζ` and `ζω` avoid
/// the trace and LDE domains.
func drawOutOfDomainPoint(_ transcript: inout Transcript) -> Fp4 {
    while true {
        let zeta = transcript.squeezeExtension("zeta")
        if !zeta.isInBaseField { return zeta }
    }
}

/// The distinct query positions into the LDE domain, ascending (spec §7).
func drawQueryPositions(_ transcript: inout Transcript, count: Int, logDomainSize: Int) -> [Int] {
    var stream = transcript.squeeze("queries")
    return Array(Set((0..<count).map { _ in stream.nextIndex(logSize: logDomainSize) })).sorted()
}
