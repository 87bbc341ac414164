import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `processAttestation` (phase0 `process_attestation`, one validator per attestation): every
/// `AttestationInvalid` case, each breaking one rule, and where a valid one lands.
///
/// The base state is the first slot of epoch 3 of a real chain, where the previous justified
/// checkpoint (epoch 0) differs from the current one, so a wrong source is detectable in both
/// branches. Attestations go into the block of slot 25.
final class ProcessAttestationTests: XCTestCase {
    private static let inclusionSlot: Slot = 25

    private func base() throws -> ChainState {
        let state = try RuleChains.partial.get().startOfEpoch3
        XCTAssertEqual(state.slot, 24)
        XCTAssertNotEqual(state.previousJustifiedCheckpoint, state.currentJustifiedCheckpoint, "the chain justified")
        return state
    }

    /// Valid data for `slot`: the source each branch expects, any head and target roots.
    private func data(_ state: ChainState, slot: Slot) -> AttestationData {
        let epoch = state.computeEpochAtSlot(slot)
        let source = epoch == state.getCurrentEpoch() ? state.currentJustifiedCheckpoint : state.previousJustifiedCheckpoint
        return AttestationData(
            slot: slot, beaconBlockRoot: RuleFixture.root(slot.rawValue), source: source,
            target: Checkpoint(epoch: epoch, root: RuleFixture.root(1_000 + epoch.rawValue)))
    }

    private func member(_ state: ChainState, _ slot: Slot) -> ValidatorIndex {
        var copy = state
        if copy.slot < slot { try! copy.processSlots(slot) }
        return copy.getBeaconCommittee(slot)[0]
    }

    private func rejection(_ attestation: Attestation, _ state: ChainState) throws -> BlockProcessingError? {
        RuleFixture.rejection(
            try RuleFixture.makeBlock(on: state, slot: Self.inclusionSlot, attestations: [attestation]), on: state)
    }

    private func assertRejected(
        _ data: AttestationData, by validator: ValidatorIndex? = nil, _ state: ChainState,
        _ reason: AttestationInvalid, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let attester = validator ?? member(state, data.slot)
        let attestation = RuleFixture.attestation(attester, data, state, signer: min(attester.rawValue, 7))
        XCTAssertEqual(try rejection(attestation, state), .attestation(index: 0, reason: reason), file: file, line: line)
    }

    func testCurrentEpochAttestationLandsInCurrentListWithDelayAndProposer() throws {
        let state = try base()
        let data = data(state, slot: 24)
        let attester = member(state, 24)
        let block = try RuleFixture.makeBlock(
            on: state, slot: Self.inclusionSlot, attestations: [RuleFixture.attestation(attester, data, state)])
        var post = state
        RuleFixture.apply(block, to: &post)
        XCTAssertEqual(post.currentEpochAttestations.count, state.currentEpochAttestations.count + 1)
        XCTAssertEqual(post.previousEpochAttestations, state.previousEpochAttestations)
        XCTAssertEqual(
            post.currentEpochAttestations.last,
            PendingAttestation(validatorIndex: attester, data: data, inclusionDelay: 1, proposerIndex: block.message.proposerIndex))
    }

    func testPreviousEpochAttestationLandsInPreviousListWithDelayAndProposer() throws {
        let state = try base()
        let data = data(state, slot: 22)
        let attester = member(state, 22)
        let block = try RuleFixture.makeBlock(
            on: state, slot: Self.inclusionSlot, attestations: [RuleFixture.attestation(attester, data, state)])
        var post = state
        RuleFixture.apply(block, to: &post)
        XCTAssertEqual(post.currentEpochAttestations, state.currentEpochAttestations)
        XCTAssertEqual(
            post.previousEpochAttestations.last,
            PendingAttestation(validatorIndex: attester, data: data, inclusionDelay: 3, proposerIndex: block.message.proposerIndex))
    }

    func testInclusionWindowEdgesAreAccepted() throws {
        let state = try base()
        // data.slot + 1 == state.slot and data.slot + SLOTS_PER_EPOCH == state.slot.
        for slot: Slot in [24, 17] {
            let attestation = RuleFixture.attestation(member(state, slot), data(state, slot: slot), state)
            XCTAssertNil(try rejection(attestation, state), "slot \(slot)")
        }
    }

    func testTargetEpochTooOldOrInTheFutureIsRejected() throws {
        let state = try base()
        var old = data(state, slot: 15)
        old.source = state.previousJustifiedCheckpoint
        try assertRejected(old, by: member(state, 15), state, .targetEpochNotPreviousOrCurrent(target: 1, current: 3))
        var future = data(state, slot: 33)
        future.source = state.currentJustifiedCheckpoint
        try assertRejected(future, by: 0, state, .targetEpochNotPreviousOrCurrent(target: 4, current: 3))
    }

    func testTargetEpochOfAnotherSlotIsRejected() throws {
        let state = try base()
        var mismatched = data(state, slot: 23)
        mismatched.target.epoch = 3
        mismatched.source = state.currentJustifiedCheckpoint
        try assertRejected(mismatched, state, .targetEpochDoesNotMatchSlot(target: 3, slot: 23))
        var backwards = data(state, slot: 24)
        backwards.target.epoch = 2
        backwards.source = state.previousJustifiedCheckpoint
        try assertRejected(backwards, state, .targetEpochDoesNotMatchSlot(target: 2, slot: 24))
    }

    func testInclusionInTheAttestationsOwnSlotIsTooEarly() throws {
        let state = try base()
        try assertRejected(data(state, slot: 25), state, .inclusionTooEarly(attestationSlot: 25, stateSlot: 25))
    }

    func testInclusionMoreThanAnEpochLaterIsTooLate() throws {
        let state = try base()
        try assertRejected(data(state, slot: 16), state, .inclusionTooLate(attestationSlot: 16, stateSlot: 25))
    }

    func testUnknownValidatorIsRejected() throws {
        let state = try base()
        try assertRejected(data(state, slot: 24), by: 99, state, .unknownValidator(99))
    }

    func testValidatorOutsideTheSlotsCommitteeIsRejected() throws {
        let state = try base()
        let committee = Set(state.getBeaconCommittee(24))
        let outsider = (0..<UInt64(8)).map(ValidatorIndex.init).first { !committee.contains($0) }!
        try assertRejected(data(state, slot: 24), by: outsider, state, .notInCommittee(outsider, slot: 24))
    }

    func testWrongSourceForTheCurrentEpochIsRejected() throws {
        let state = try base()
        var wrong = data(state, slot: 24)
        wrong.source = state.previousJustifiedCheckpoint
        try assertRejected(
            wrong, state, .wrongSource(got: state.previousJustifiedCheckpoint, expected: state.currentJustifiedCheckpoint))
        wrong.source = Checkpoint(epoch: state.currentJustifiedCheckpoint.epoch, root: RuleFixture.root(9))
        try assertRejected(wrong, state, .wrongSource(got: wrong.source, expected: state.currentJustifiedCheckpoint))
    }

    func testWrongSourceForThePreviousEpochIsRejected() throws {
        let state = try base()
        var wrong = data(state, slot: 22)
        wrong.source = state.currentJustifiedCheckpoint
        try assertRejected(
            wrong, state, .wrongSource(got: state.currentJustifiedCheckpoint, expected: state.previousJustifiedCheckpoint))
    }

    func testBadSignatureIsRejected() throws {
        let state = try base()
        let data = data(state, slot: 24)
        let attester = member(state, 24)
        let byOther = RuleFixture.attestation(attester, data, state, signer: (attester.rawValue + 1) % 8)
        XCTAssertEqual(try rejection(byOther, state), .attestation(index: 0, reason: .badSignature))
        var otherData = data
        otherData.beaconBlockRoot = RuleFixture.root(4)
        var swapped = RuleFixture.attestation(attester, otherData, state)
        swapped.data = data
        XCTAssertEqual(try rejection(swapped, state), .attestation(index: 0, reason: .badSignature))
    }

    func testTheFailingAttestationIsNamedByItsIndex() throws {
        let state = try base()
        let good = RuleFixture.attestation(member(state, 24), data(state, slot: 24), state)
        let late = RuleFixture.attestation(member(state, 16), data(state, slot: 16), state)
        let block = try RuleFixture.makeBlock(on: state, slot: Self.inclusionSlot, attestations: [good, good, late])
        XCTAssertEqual(
            RuleFixture.rejection(block, on: state),
            .attestation(index: 2, reason: .inclusionTooLate(attestationSlot: 16, stateSlot: 25)))
    }
}
