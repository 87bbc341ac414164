import KeelChain
import KeelCrypto
import KeelProof
import KeelTestSupport
import XCTest

final class StubProofSystemTests: XCTestCase {
    private let genesisRoot = SHA256.hash(Array("genesis".utf8))
    private let proverSecret = DevnetKeys.proverSecretKey
    private let claimA = TransitionClaim(
        preStateRoot: SHA256.hash([1]), blockRoot: SHA256.hash([2]), postStateRoot: SHA256.hash([3]), vmSteps: 1_000)

    private var prover: StubSignedClaimProofSystem {
        StubSignedClaimProofSystem(proverSecretKey: proverSecret, genesisRoot: genesisRoot)
    }

    private var verifier: StubSignedClaimProofSystem {
        StubSignedClaimProofSystem(proverKey: proverSecret.publicKey, genesisRoot: genesisRoot)
    }

    func testProofOfATracedBlockVerifiesAndRoundTrips() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        let (block, preState) = fixture.blocks[0]
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        let proof = try prover.prove(traced.claim, block: block, witness: traced.witness)
        XCTAssertEqual(proof.system, StubSignedClaimProofSystem.systemID)
        let decoded = try TransitionProof(decoding: proof.encoded)
        XCTAssertNoThrow(try verifier.verify(decoded, of: try TransitionClaim(decoding: traced.claim.encoded)))
        XCTAssertTrue(verifier.guarantee.hasPrefix("STUB"))
    }

    /// A proof of one block's claim does not verify for any other claim: another block, other
    /// roots, other step counts.
    func testReplayedProofIsRejected() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        try fixture.advance()
        let proofs = try fixture.blocks.map { block, preState in
            let traced = try BlockWitnessBuilder.trace(block, preState: preState)
            return (traced.claim, try prover.prove(traced.claim, block: block, witness: traced.witness))
        }
        XCTAssertThrowsError(try verifier.verify(proofs[0].1, of: proofs[1].0))
        var steps = proofs[0].0
        steps.vmSteps += 1
        XCTAssertThrowsError(try verifier.verify(proofs[0].1, of: steps))
        var post = proofs[0].0
        post.postStateRoot = SHA256.hash([9])
        XCTAssertThrowsError(try verifier.verify(proofs[0].1, of: post)) { error in
            XCTAssertEqual(error as? ProofError, .invalid("the signature is not the prover's over this claim"))
        }
        let otherChain = StubSignedClaimProofSystem(proverKey: proverSecret.publicKey, genesisRoot: SHA256.hash([7]))
        XCTAssertThrowsError(try otherChain.verify(proofs[0].1, of: proofs[0].0))
    }

    func testForgedProofsAreRejected() throws {
        let signingRoot = computeSigningRoot(claimA.hashTreeRoot, domain: .proverClaim, genesisRoot: genesisRoot)
        let byValidator = DevnetKeys.secretKey(validatorIndex: 0).sign(signingRoot)
        XCTAssertThrowsError(try verifier.verify(TransitionProof(system: "stub-signed-claim", bytes: byValidator.bytes), of: claimA)) {
            XCTAssertEqual($0 as? ProofError, .invalid("the signature is not the prover's over this claim"))
        }
        let otherDomain = proverSecret.sign(computeSigningRoot(claimA.hashTreeRoot, domain: .blockProposal, genesisRoot: genesisRoot))
        XCTAssertThrowsError(try verifier.verify(TransitionProof(system: "stub-signed-claim", bytes: otherDomain.bytes), of: claimA))
        XCTAssertThrowsError(try verifier.verify(TransitionProof(system: "stub-signed-claim", bytes: [1, 2, 3]), of: claimA)) {
            guard case .malformed? = $0 as? ProofError else { return XCTFail("\($0)") }
        }
        let genuine = proverSecret.sign(signingRoot)
        XCTAssertThrowsError(try verifier.verify(TransitionProof(system: "zk-something", bytes: genuine.bytes), of: claimA)) {
            XCTAssertEqual($0 as? ProofError, .wrongSystem(expected: "stub-signed-claim", got: "zk-something"))
        }
        XCTAssertNoThrow(try verifier.verify(TransitionProof(system: "stub-signed-claim", bytes: genuine.bytes), of: claimA))
    }

    func testVerifierCannotProve() throws {
        var fixture = try ExecutionTestChain()
        try fixture.advance()
        let (block, preState) = fixture.blocks[0]
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        XCTAssertThrowsError(try verifier.prove(traced.claim, block: block, witness: traced.witness)) {
            guard case .cannotProve? = $0 as? ProofError else { return XCTFail("\($0)") }
        }
    }

    func testEncodingsRejectTrailingBytes() throws {
        XCTAssertThrowsError(try TransitionClaim(decoding: claimA.encoded + [0]))
        let proof = TransitionProof(system: "stub-signed-claim", bytes: Array(repeating: 1, count: 64))
        XCTAssertThrowsError(try TransitionProof(decoding: proof.encoded + [0]))
        XCTAssertEqual(try TransitionProof(decoding: proof.encoded), proof)
    }
}
