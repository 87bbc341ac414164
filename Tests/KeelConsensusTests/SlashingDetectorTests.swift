import KeelChain
@testable import KeelConsensus
import KeelCrypto
import KeelTestSupport
import XCTest

final class SlashingDetectorTests: XCTestCase {
    func testDoubleProposalIsReportedOnceAndIsValidEvidence() throws {
        let devnet = try Devnet()
        let votes = try devnet.attest(headRoot: devnet.genesisBlockRoot, headState: devnet.genesis, slot: 0)
        let one = try devnet.makeBlock(on: devnet.genesis, slot: 1).block
        let two = try devnet.makeBlock(on: devnet.genesis, slot: 1, attestations: votes).block
        let three = try devnet.makeBlock(on: devnet.genesis, slot: 1, attestations: [votes[0]]).block
        var detector = SlashingDetector()
        XCTAssertNil(detector.observe(one.signedHeader))
        XCTAssertNil(detector.observe(one.signedHeader), "an identical re-broadcast is no offence")
        let evidence = try XCTUnwrap(detector.observe(two.signedHeader))
        XCTAssertEqual(evidence, ProposerSlashing(signedHeader1: one.signedHeader, signedHeader2: two.signedHeader))
        XCTAssertNil(detector.observe(three.signedHeader), "never reported twice")
        XCTAssertNil(detector.observe(two.signedHeader))

        // The chain accepts the evidence; then it is no longer pending.
        var state = devnet.genesis
        XCTAssertEqual(detector.pendingSlashings(state: state).proposer, [evidence])
        var verifier = SignatureVerifier(.verifyIndividually)
        try state.processProposerSlashing(evidence, verifier: &verifier)
        XCTAssertTrue(state.validators[Int(one.message.proposerIndex.rawValue)].slashed)
        XCTAssertTrue(detector.pendingSlashings(state: state).proposer.isEmpty)
    }

    func testDoubleVoteIsReportedOnceAndIsValidEvidence() throws {
        let devnet = try Devnet()
        let validator: ValidatorIndex = 5
        let target = Checkpoint(epoch: 0, root: devnet.genesisBlockRoot)
        func vote(head: Root) -> Attestation {
            let data = AttestationData(slot: 3, beaconBlockRoot: head, source: Checkpoint(epoch: 0, root: .zero), target: target)
            return devnet.sign(data, by: validator)
        }
        let first = vote(head: devnet.genesisBlockRoot)
        let second = vote(head: SHA256.hash(Array("other".utf8)))
        var detector = SlashingDetector()
        XCTAssertNil(detector.observe(first))
        XCTAssertNil(detector.observe(first), "an identical re-broadcast is no offence")
        let evidence = try XCTUnwrap(detector.observe(second))
        XCTAssertEqual(evidence, AttesterSlashing(attestation1: first, attestation2: second))
        XCTAssertNil(detector.observe(vote(head: SHA256.hash(Array("third".utf8)))), "never reported twice")

        var state = devnet.genesis
        XCTAssertEqual(detector.pendingSlashings(state: state).attester, [evidence])
        var verifier = SignatureVerifier(.verifyIndividually)
        try state.processAttesterSlashing(evidence, verifier: &verifier)
        XCTAssertTrue(state.validators[5].slashed)
        XCTAssertTrue(detector.pendingSlashings(state: state).attester.isEmpty, "dropped once slashed")
    }

    /// Surround votes in both orders of arrival: the evidence always names the surrounding vote
    /// first, as `processAttesterSlashing` requires.
    func testSurroundVotesInBothDirections() throws {
        let devnet = try Devnet()
        func vote(_ validator: ValidatorIndex, source: UInt64, target: UInt64) -> Attestation {
            devnet.sign(AttestationData(
                slot: Slot(target * 8), beaconBlockRoot: devnet.genesisBlockRoot,
                source: Checkpoint(epoch: Epoch(source), root: devnet.genesisBlockRoot),
                target: Checkpoint(epoch: Epoch(target), root: devnet.genesisBlockRoot)), by: validator)
        }
        var detector = SlashingDetector()
        // The earlier vote surrounds the new one.
        let outer = vote(1, source: 1, target: 4)
        let inner = vote(1, source: 2, target: 3)
        XCTAssertNil(detector.observe(outer))
        let first = try XCTUnwrap(detector.observe(inner))
        XCTAssertEqual(first, AttesterSlashing(attestation1: outer, attestation2: inner))
        // The new vote surrounds the earlier one.
        let earlierInner = vote(2, source: 2, target: 3)
        let laterOuter = vote(2, source: 1, target: 4)
        XCTAssertNil(detector.observe(earlierInner))
        let second = try XCTUnwrap(detector.observe(laterOuter))
        XCTAssertEqual(second, AttesterSlashing(attestation1: laterOuter, attestation2: earlierInner))

        var state = devnet.genesis
        for evidence in [first, second] {
            XCTAssertTrue(isSlashableAttestationData(evidence.attestation1.data, evidence.attestation2.data))
            var verifier = SignatureVerifier(.verifyIndividually)
            XCTAssertNoThrow(try state.processAttesterSlashing(evidence, verifier: &verifier))
        }
    }

    func testHonestVotesAndSharedBoundariesAreNotOffences() throws {
        let devnet = try Devnet()
        var detector = SlashingDetector()
        for (source, target) in [(0, 1), (1, 2), (2, 3), (2, 4), (4, 5), (5, 6), (5, 7)] as [(UInt64, UInt64)] {
            let attestation = devnet.sign(AttestationData(
                slot: Slot(target * 8), beaconBlockRoot: devnet.genesisBlockRoot,
                source: Checkpoint(epoch: Epoch(source), root: devnet.genesisBlockRoot),
                target: Checkpoint(epoch: Epoch(target), root: devnet.genesisBlockRoot)), by: 7)
            XCTAssertNil(detector.observe(attestation), "(\(source), \(target))")
        }
    }

    func testObservingABlockSeesItsHeaderAndAttestations() throws {
        let devnet = try Devnet()
        let votes = try devnet.attest(headRoot: devnet.genesisBlockRoot, headState: devnet.genesis, slot: 0)
        let block = try devnet.makeBlock(on: devnet.genesis, slot: 1, attestations: votes)
        var detector = SlashingDetector()
        let seen = detector.observe(block.block)
        XCTAssertTrue(seen.proposer.isEmpty && seen.attester.isEmpty)
        // A conflicting gossip vote by one of the block's attesters.
        var conflicting = votes[0].data
        conflicting.beaconBlockRoot = SHA256.hash(Array("elsewhere".utf8))
        let evidence = try XCTUnwrap(detector.observe(devnet.sign(conflicting, by: votes[0].validatorIndex)))
        XCTAssertEqual(evidence.attestation1, votes[0])
        // A conflicting block of the same slot.
        let other = try devnet.makeBlock(on: devnet.genesis, slot: 1).block
        XCTAssertEqual(detector.observe(other).proposer.count, 1)
    }

    func testPruneForgetsHistoryBelowFinalizedEpoch() throws {
        let devnet = try Devnet()
        func vote(_ epoch: UInt64, head: Root) -> Attestation {
            devnet.sign(AttestationData(
                slot: Slot(epoch * 8), beaconBlockRoot: head, source: Checkpoint(epoch: 0, root: .zero),
                target: Checkpoint(epoch: Epoch(epoch), root: devnet.genesisBlockRoot)), by: 3)
        }
        var detector = SlashingDetector()
        XCTAssertNil(detector.observe(vote(1, head: devnet.genesisBlockRoot)))
        var finalized = devnet.genesis
        finalized.finalizedCheckpoint = Checkpoint(epoch: 2, root: devnet.genesisBlockRoot)
        detector.prune(finalizedState: finalized)
        XCTAssertEqual(detector.finalizedEpoch, 2)
        XCTAssertNil(detector.observe(vote(1, head: SHA256.hash(Array("x".utf8)))), "below finality: not recorded")
        XCTAssertNil(detector.observe(vote(3, head: devnet.genesisBlockRoot)))
        XCTAssertNotNil(detector.observe(vote(3, head: SHA256.hash(Array("y".utf8)))))
    }
}
