import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `processAttesterSlashing` (phase0 `process_attester_slashing`, single-validator attestations):
/// double and surround votes slash; every `AttesterSlashingInvalid` case.
final class ProcessAttesterSlashingTests: XCTestCase {
    private func setup() throws -> (ChainState, proposer: ValidatorIndex, offender: ValidatorIndex) {
        let state = try RuleFixture.genesis()
        let proposer = try RuleFixture.proposer(state, at: 1)
        return (state, proposer, ValidatorIndex((proposer.rawValue + 5) % 8))
    }

    private func data(source: UInt64, target: UInt64, head: UInt64 = 0) -> AttestationData {
        AttestationData(
            slot: Slot(target * 8), beaconBlockRoot: RuleFixture.root(100 + head),
            source: Checkpoint(epoch: Epoch(source), root: RuleFixture.root(200 + source)),
            target: Checkpoint(epoch: Epoch(target), root: RuleFixture.root(200 + target)))
    }

    private func slashing(
        _ offender: ValidatorIndex, _ data1: AttestationData, _ data2: AttestationData, _ state: ChainState
    ) -> AttesterSlashing {
        AttesterSlashing(
            attestation1: RuleFixture.attestation(offender, data1, state),
            attestation2: RuleFixture.attestation(offender, data2, state))
    }

    private func rejection(_ slashings: [AttesterSlashing], _ state: ChainState) throws -> BlockProcessingError? {
        RuleFixture.rejection(try RuleFixture.makeBlock(on: state, slot: 1, attesterSlashings: slashings), on: state)
    }

    private func assertSlashed(_ offender: ValidatorIndex, proposer: ValidatorIndex, _ evidence: AttesterSlashing, _ state: ChainState) throws {
        var post = state
        RuleFixture.apply(try RuleFixture.makeBlock(on: state, slot: 1, attesterSlashings: [evidence]), to: &post)
        let validator = post.validators[Int(offender.rawValue)]
        let effective = state.validators[Int(offender.rawValue)].effectiveStake.rawValue
        XCTAssertTrue(validator.slashed)
        XCTAssertEqual(validator.exitEpoch, Epoch(1 + state.preset.maxSeedLookahead))
        XCTAssertEqual(validator.withdrawableEpoch, Epoch(state.preset.epochsPerSlashingsVector))
        XCTAssertEqual(validator.balance.rawValue, effective - effective / state.preset.minSlashingPenaltyQuotient)
        XCTAssertEqual(
            post.validators[Int(proposer.rawValue)].balance.rawValue,
            state.validators[Int(proposer.rawValue)].balance.rawValue + effective / state.preset.whistleblowerRewardQuotient)
        XCTAssertEqual(post.slashings[0].rawValue, effective)
    }

    func testDoubleVoteSlashes() throws {
        let (state, proposer, offender) = try setup()
        try assertSlashed(offender, proposer: proposer, slashing(offender, data(source: 0, target: 2), data(source: 0, target: 2, head: 1), state), state)
    }

    func testSurroundVoteSlashes() throws {
        let (state, proposer, offender) = try setup()
        try assertSlashed(offender, proposer: proposer, slashing(offender, data(source: 0, target: 3), data(source: 1, target: 2), state), state)
    }

    func testASurroundedVoteFirstIsNotSlashableData() throws {
        // phase0 `is_surround_vote` is directional: attestation 1 must surround attestation 2.
        let (state, _, offender) = try setup()
        let evidence = slashing(offender, data(source: 1, target: 2), data(source: 0, target: 3), state)
        XCTAssertEqual(try rejection([evidence], state), .attesterSlashing(index: 0, reason: .notSlashableData))
    }

    func testNonConflictingVotesAreNotSlashableData() throws {
        let (state, _, offender) = try setup()
        let vote = data(source: 0, target: 2)
        for other in [vote, data(source: 2, target: 3), data(source: 0, target: 3), data(source: 1, target: 3)] {
            let evidence = slashing(offender, vote, other, state)
            XCTAssertEqual(try rejection([evidence], state), .attesterSlashing(index: 0, reason: .notSlashableData), "\(other)")
        }
    }

    func testVotesOfDifferentValidatorsAreRejected() throws {
        let (state, _, offender) = try setup()
        let other = ValidatorIndex((offender.rawValue + 1) % 8)
        let evidence = AttesterSlashing(
            attestation1: RuleFixture.attestation(offender, data(source: 0, target: 2), state),
            attestation2: RuleFixture.attestation(other, data(source: 0, target: 2, head: 1), state))
        XCTAssertEqual(try rejection([evidence], state), .attesterSlashing(index: 0, reason: .validatorsDiffer))
    }

    func testUnknownValidatorIsRejected() throws {
        let (state, _, _) = try setup()
        let evidence = slashing(99, data(source: 0, target: 2), data(source: 0, target: 2, head: 1), state)
        XCTAssertEqual(try rejection([evidence], state), .attesterSlashing(index: 0, reason: .unknownValidator(99)))
    }

    func testASecondSlashingOfTheSameValidatorIsRejected() throws {
        let (state, _, offender) = try setup()
        let double = slashing(offender, data(source: 0, target: 2), data(source: 0, target: 2, head: 1), state)
        let surround = slashing(offender, data(source: 0, target: 3), data(source: 1, target: 2), state)
        XCTAssertEqual(try rejection([double, surround], state), .attesterSlashing(index: 1, reason: .notSlashable(offender)))
        // Already slashed by a proposer slashing in the same block.
        let proposerEvidence = ProposerSlashing(
            signedHeader1: RuleFixture.header(slot: 0, proposer: offender, tag: 1, state),
            signedHeader2: RuleFixture.header(slot: 0, proposer: offender, tag: 2, state))
        let block = try RuleFixture.makeBlock(on: state, slot: 1, proposerSlashings: [proposerEvidence], attesterSlashings: [double])
        XCTAssertEqual(RuleFixture.rejection(block, on: state), .attesterSlashing(index: 0, reason: .notSlashable(offender)))
    }

    func testABadSignatureOnEitherAttestationIsRejected() throws {
        let (state, _, offender) = try setup()
        let other = (offender.rawValue + 1) % 8
        var first = slashing(offender, data(source: 0, target: 2), data(source: 0, target: 2, head: 1), state)
        first.attestation1 = RuleFixture.attestation(offender, first.attestation1.data, state, signer: other)
        XCTAssertEqual(try rejection([first], state), .attesterSlashing(index: 0, reason: .badSignature(attestation: 1)))
        var second = slashing(offender, data(source: 0, target: 2), data(source: 0, target: 2, head: 1), state)
        second.attestation2 = RuleFixture.attestation(offender, second.attestation2.data, state, signer: other)
        XCTAssertEqual(try rejection([second], state), .attesterSlashing(index: 0, reason: .badSignature(attestation: 2)))
    }
}
