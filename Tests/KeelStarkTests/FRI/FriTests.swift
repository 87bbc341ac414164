import KeelCrypto
import KeelRandom
import XCTest
@testable import KeelStark

/// FRI on its own (spec/STARK.md §7): codewords of low degree pass, others and tampered runs
/// do not.
final class FriTests: XCTestCase {
    private var random = SplitMix64(seed: 0xf41)
    private let parameters = StarkParameters(
        logBlowup: 3, logArity: 3, logFinalDegree: 2, queryCount: 29, commitGrindBits: 0, foldGrindBits: 4, queryGrindBits: 4)

    private func randomExtension() -> Fp4 { Fp4(Fp(random.next()), Fp(random.next()), Fp(random.next()), Fp(random.next())) }

    /// The bit-reversed codeword on the LDE domain of a polynomial with `coefficientCount`
    /// random extension coefficients.
    private func codeword(coefficientCount: Int, logDomainSize: Int) -> [Fp4] {
        let coset = TwoAdicCoset(logSize: logDomainSize, shift: .generator)
        let coefficients = (0..<coefficientCount).map { _ in randomExtension() }
        var values = coset.elements().map { x in coefficients.reversed().reduce(Fp4.zero) { $0 * x + $1 } }
        BitReversal.permute(&values)
        return values
    }

    /// Runs the prover, lets `tamper` edit its output, and runs the verifier on it.
    private func run(_ word: [Fp4], logDegreeBound: Int, parameters: StarkParameters? = nil,
                     tamper: (inout StarkProof) -> Void = { _ in }) throws {
        let parameters = parameters ?? self.parameters
        let layout = FriLayout(logDegreeBound: logDegreeBound, parameters: parameters)
        let lde = TwoAdicCoset(logSize: logDegreeBound + parameters.logBlowup, shift: .generator)
        var transcript = Transcript()
        let prover = FriProver(codeword: word, domain: lde, layout: layout, parameters: parameters, transcript: &transcript)
        let nonce = transcript.grind("query-pow", bits: parameters.queryGrindBits)
        let positions = drawQueryPositions(&transcript, count: parameters.queryCount, logDomainSize: lde.logSize)
        var proof = StarkProof(
            logTraceLength: logDegreeBound, mainRoot: .zero, auxRoot: nil, quotientRoot: .zero, mainGrindNonce: 0,
            outOfDomainLocal: [], outOfDomainNext: [], outOfDomainQuotient: [], friRounds: prover.rounds,
            finalPolynomial: prover.finalPolynomial, queryGrindNonce: nonce, traceOpenings: [],
            friOpenings: prover.open(positions: positions))
        tamper(&proof)
        var verifier = Transcript()
        let betas = try FriVerifier.replayCommitPhase(proof, layout: layout, parameters: parameters, transcript: &verifier)
        guard verifier.checkGrinding("query-pow", bits: parameters.queryGrindBits, nonce: proof.queryGrindNonce) else {
            throw StarkError.invalid("query grinding nonce")
        }
        let checked = drawQueryPositions(&verifier, count: parameters.queryCount, logDomainSize: lde.logSize)
        try FriVerifier.checkQueries(proof, initialValues: Dictionary(uniqueKeysWithValues: checked.map { ($0, word[$0]) }),
                                     betas: betas, layout: layout, lde: lde)
    }

    func testProverFoldEqualsVerifierFoldOnEveryCoset() {
        let domain = TwoAdicCoset(logSize: 7, shift: .generator)
        let word = codeword(coefficientCount: 16, logDomainSize: 7)
        let beta = randomExtension()
        let folded = FriFolding.fold(word, domain: domain, logArity: 3, beta: beta)
        for leaf in 0..<16 {
            XCTAssertEqual(FriFolding.foldCoset(Array(word[(leaf * 8)..<(leaf * 8 + 8)]), leaf: leaf, domain: domain, beta: beta), folded[leaf])
        }
    }

    func testFoldingHalvesTheDegree() throws {
        let domain = TwoAdicCoset(logSize: 8, shift: .generator)
        let folded = FriFolding.fold(codeword(coefficientCount: 32, logDomainSize: 8), domain: domain, logArity: 2, beta: randomExtension())
        let coefficients = FriProver.lowCoefficients(of: folded, domain: TwoAdicCoset(logSize: 6, shift: Fp.generator.power(4)), count: 64)
        XCTAssertTrue(coefficients[8...].allSatisfy { $0 == .zero }, "degree < 32 folded by 4 is degree < 8")
        XCTAssertFalse(coefficients[..<8].allSatisfy { $0 == .zero })
    }

    func testLowDegreeCodewordsPass() throws {
        for logDegreeBound in [0, 2, 5, 9] {
            XCTAssertNoThrow(try run(codeword(coefficientCount: 1 << logDegreeBound, logDomainSize: logDegreeBound + 3),
                                     logDegreeBound: logDegreeBound), "degree bound 2^\(logDegreeBound)")
        }
    }

    func testTooHighDegreeIsRejected() {
        for logDegreeBound in [2, 5, 9] {
            let word = codeword(coefficientCount: (1 << logDegreeBound) + 1, logDomainSize: logDegreeBound + 3)
            XCTAssertThrowsError(try run(word, logDegreeBound: logDegreeBound), "degree 2^\(logDegreeBound)")
        }
    }

    func testRandomWordIsRejected() {
        let word = (0..<(1 << 9)).map { _ in randomExtension() }
        XCTAssertThrowsError(try run(word, logDegreeBound: 6))
    }

    func testTamperedRunsAreRejected() {
        let word = codeword(coefficientCount: 64, logDomainSize: 9)
        let tamperings: [(String, (inout StarkProof) -> Void)] = [
            ("round root", { $0.friRounds[0].root = $0.friRounds[0].root.flippingBit(3) }),
            ("round nonce", { $0.friRounds[1].grindNonce &+= 1 }),
            ("final coefficient", { $0.finalPolynomial[0] += .one }),
            ("query nonce", { $0.queryGrindNonce &+= 1 }),
            ("coset value", { $0.friOpenings[0].cosets[0][1] += .one }),
            ("last round coset", { $0.friOpenings[1].cosets[0][0] += .one }),
            ("sibling", { $0.friOpenings[0].siblings[0] = $0.friOpenings[0].siblings[0].flippingBit(200) }),
            ("missing coset", { $0.friOpenings[0].cosets.removeLast() }),
        ]
        XCTAssertNoThrow(try run(word, logDegreeBound: 6))
        for (name, tamper) in tamperings {
            XCTAssertThrowsError(try run(word, logDegreeBound: 6, tamper: tamper), name)
        }
    }
}
