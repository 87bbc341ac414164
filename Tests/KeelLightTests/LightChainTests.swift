import KeelChain
import KeelCrypto
import KeelLight
import KeelProof
import KeelTestSupport
import XCTest

final class LightChainTests: XCTestCase {
    /// Under each verifier the light node follows five epochs of an honest chain, and accepts
    /// the justification and finality the full chain reaches, no more and no sooner.
    func testFollowsAnHonestChainToFinalityUnderBothVerifiers() throws {
        var fixture = try LightChainFixture()
        try fixture.advance(slots: 40)
        let chainFinalized = fixture.execution.chain.state.finalizedCheckpoint
        XCTAssertGreaterThanOrEqual(chainFinalized.epoch.rawValue, 2, "full participation finalizes")
        for verifier in fixture.verifiers {
            var light = fixture.lightChain()
            var finalizedSeen: [Checkpoint] = []
            for (data, claim) in fixture.served {
                let report = try light.verify(data, with: verifier)
                XCTAssertEqual(report.stateRoot, claim.postStateRoot)
                XCTAssertEqual(report.vmSteps, claim.vmSteps)
                XCTAssertEqual(report.verifier, verifier.name)
                if let finalized = report.newlyFinalized { finalizedSeen.append(finalized) }
            }
            XCTAssertEqual(finalizedSeen.last, chainFinalized, verifier.name)
            XCTAssertEqual(light.blocks[light.latest]?.finalized, chainFinalized)
        }
    }

    func testWrongPostStateRootIsRejectedUnderBothVerifiers() throws {
        var fixture = try LightChainFixture()
        try fixture.advance(slots: 2)
        var data = fixture.served[1].data
        data.block = fixture.execution.withStateRoot(
            SHA256.hash([42]), data.block, preState: fixture.execution.blocks[1].preState)
        for verifier in fixture.verifiers {
            var light = fixture.lightChain()
            _ = try light.verify(fixture.served[0].data, with: verifier)
            XCTAssertThrowsError(try light.verify(data, with: verifier)) { error in
                switch (verifier, error as? LightVerificationError) {
                case (.proof, .proof(.invalid)?): break
                case (.reexec, .reexecution(.postStateRootMismatch)?): break
                default: XCTFail("\(verifier.name): \(error)")
                }
            }
            XCTAssertFalse(light.isVerified(data.block.message.hashTreeRoot))
        }
    }

    func testForgedAndReplayedProofsAreRejected() throws {
        var fixture = try LightChainFixture()
        try fixture.advance(slots: 2)
        let verifier = StateRootVerifier.proof(fixture.verifierSystem)
        var replayed = fixture.served[1].data
        replayed.proof = fixture.served[0].data.proof
        var forged = fixture.served[1].data
        let otherKey = DevnetKeys.secretKey(validatorIndex: 3)
        let claim = fixture.served[1].claim
        let signature = otherKey.sign(computeSigningRoot(claim.hashTreeRoot, domain: .proverClaim, genesisRoot: fixture.genesis.genesisRoot))
        forged.proof = (TransitionProof(system: StubSignedClaimProofSystem.systemID, bytes: signature.bytes), claim.vmSteps)
        var wrongSteps = fixture.served[1].data
        wrongSteps.proof?.vmSteps += 1
        for bad in [replayed, forged, wrongSteps] {
            var light = fixture.lightChain()
            _ = try light.verify(fixture.served[0].data, with: verifier)
            XCTAssertThrowsError(try light.verify(bad, with: verifier)) { error in
                guard case .proof(.invalid)? = error as? LightVerificationError else { return XCTFail("\(error)") }
            }
        }
    }

    func testWitnessWithMissingOrAlteredNodeIsRejected() throws {
        var fixture = try LightChainFixture()
        try fixture.advance(slots: 1)
        let data = fixture.served[0].data
        let witness = try XCTUnwrap(data.witness)
        var altered = witness.multiproof.encoded
        altered[altered.count - 1] ^= 0x80
        var missing = data
        missing.witness = StateWitness(
            entries: witness.entries, multiproof: StateWitness.cut(from: fixture.genesis, accounts: [], programs: []).multiproof)
        var changed = data
        changed.witness = StateWitness(entries: witness.entries, multiproof: try MerkleWitness(decoding: altered))
        var light = fixture.lightChain()
        XCTAssertThrowsError(try light.verify(missing, with: .reexec)) { error in
            switch error as? LightVerificationError {
            case .reexecution(.witness(.entries(.notCovered)))?, .reexecution(.witnessIncomplete)?: break
            default: XCTFail("\(error)")
            }
        }
        XCTAssertThrowsError(try light.verify(changed, with: .reexec)) { error in
            guard case .reexecution(.witness(.multiproof(.rootMismatch)))? = error as? LightVerificationError else {
                return XCTFail("\(error)")
            }
        }
    }

    /// Half the validators attest, so the chain never justifies. A dishonest prover (it holds
    /// the prover key) vouches for post-states that claim justification, or finality, anyway:
    /// the proof verifies, but the light node counts the signed votes and refuses. Re-execution
    /// refuses the same blocks because their roots are not the ones the block computes.
    func testJustificationOrFinalityRestingOnLessThanTwoThirdsIsRejected() throws {
        var fixture = try LightChainFixture()
        let half: (ValidatorIndex) -> Bool = { $0.rawValue < 2 }
        try fixture.advance(slots: 24, participates: half)
        XCTAssertEqual(fixture.execution.chain.state.currentJustifiedCheckpoint.epoch, Epoch(0))
        let forgeries: [(kind: String, forge: (inout ChainState, Checkpoint) -> Void)] = [
            ("justifies", { state, checkpoint in state.currentJustifiedCheckpoint = checkpoint }),
            ("finalizes", { state, checkpoint in state.finalizedCheckpoint = checkpoint }),
        ]
        for (kind, forge) in forgeries {
            // The first block of epoch 3, with a post-state that moves epoch 2's checkpoint.
            let forgedData = try forgedBoundaryBlock(fixture, forge)
            for verifier in fixture.verifiers {
                var light = fixture.lightChain()
                for (data, _) in fixture.served.dropLast() { _ = try light.verify(data, with: verifier) }
                XCTAssertThrowsError(try light.verify(forgedData, with: verifier)) { error in
                    switch (verifier, error as? LightVerificationError) {
                    case (.proof, .unsupportedCheckpoint(let reported, let checkpoint, let support)?):
                        XCTAssertEqual(reported, kind)
                        XCTAssertEqual(checkpoint.epoch, Epoch(2))
                        XCTAssertFalse(support.isSupermajority)
                        XCTAssertGreaterThan(support.attestingStake, .zero, "\(kind): some of the half that votes is counted")
                    case (.reexec, .reexecution(.postStateRootMismatch)?): break
                    default: XCTFail("\(kind), \(verifier.name): \(error)")
                    }
                }
                // The honest block in its place is accepted.
                XCTAssertNoThrow(try light.verify(fixture.served.last!.data, with: verifier))
            }
        }
    }

    /// The last served block re-made with a post-state changed by `forge` (given epoch 2's
    /// checkpoint), re-signed by its proposer and vouched for by the prover key.
    private func forgedBoundaryBlock(
        _ fixture: LightChainFixture, _ forge: (inout ChainState, Checkpoint) -> Void
    ) throws -> LightBlockData {
        let (block, preState) = fixture.execution.blocks.last!
        XCTAssertEqual(block.message.slot, Slot(24), "the first slot of epoch 3")
        var forgedPost = preState
        try forgedPost.stateTransition(block)
        forge(&forgedPost, Checkpoint(epoch: Epoch(2), root: try forgedPost.getBlockRootAtSlot(Slot(16))))
        let forgedBlock = fixture.execution.withStateRoot(forgedPost.hashTreeRoot(), block, preState: preState)
        let claim = TransitionClaim(
            preStateRoot: fixture.served[fixture.served.count - 2].claim.postStateRoot, blockRoot: forgedBlock.message.hashTreeRoot,
            postStateRoot: forgedBlock.message.stateRoot, vmSteps: fixture.served.last!.claim.vmSteps)
        let dishonest = StubSignedClaimProofSystem(proverSecretKey: DevnetKeys.proverSecretKey, genesisRoot: fixture.genesis.genesisRoot)
        let traced = try BlockWitnessBuilder.trace(block, preState: preState)
        return LightBlockData(
            block: forgedBlock, proof: (try dishonest.prove(claim, block: forgedBlock, witness: traced.witness), claim.vmSteps),
            witness: traced.witness, registry: StateWitness.registry(of: forgedPost))
    }

    func testBlockFromAnotherBranchOrBadProposerSignatureIsRejected() throws {
        var fixture = try LightChainFixture()
        try fixture.advance(slots: 2)
        var light = fixture.lightChain()
        XCTAssertThrowsError(try light.verify(fixture.served[1].data, with: .reexec)) { error in
            guard case .unknownParent? = error as? LightVerificationError else { return XCTFail("\(error)") }
        }
        var badSignature = fixture.served[0].data
        badSignature.block.signature = fixture.served[1].data.block.signature
        XCTAssertThrowsError(try light.verify(badSignature, with: .proof(fixture.verifierSystem))) { error in
            guard case .badProposerSignature? = error as? LightVerificationError else { return XCTFail("\(error)") }
        }
        // Another validator proposes and signs with its own key: a valid signature, the wrong
        // proposer (the stub prover would vouch for anything).
        var block = fixture.served[0].data.block.message
        let rightful = block.proposerIndex
        block.proposerIndex = ValidatorIndex((rightful.rawValue + 1) % 4)
        let usurper = fixture.execution.chain.secretKeys[Int(block.proposerIndex.rawValue)]
        var usurped = fixture.served[0].data
        usurped.block = SignedBlock(message: block, signature: usurper.sign(fixture.genesis.signingRoot(of: block)))
        XCTAssertThrowsError(try light.verify(usurped, with: .proof(fixture.verifierSystem))) { error in
            guard case .wrongProposer(let expected, let got)? = error as? LightVerificationError else { return XCTFail("\(error)") }
            XCTAssertEqual(expected, rightful)
            XCTAssertEqual(got, block.proposerIndex)
        }
    }
}
