import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// phase0 final updates: `processSlashingsReset`, `processRandaoMixesReset`,
/// `processParticipationRecordUpdates`.
final class FinalUpdatesTests: XCTestCase {
    private func pending(_ index: UInt64, slot: Slot) -> PendingAttestation {
        PendingAttestation(
            validatorIndex: ValidatorIndex(index),
            data: AttestationData(
                slot: slot, beaconBlockRoot: RuleFixture.root(index), source: Checkpoint(epoch: 0, root: .zero),
                target: Checkpoint(epoch: Epoch(slot.rawValue / 8), root: .zero)),
            inclusionDelay: 1, proposerIndex: 0)
    }

    func testSlashingsResetClearsOnlyTheNextEpochsSlot() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(16)
        state.slashings = (0..<UInt64(64)).map { Stake($0 + 1) }
        state.processSlashingsReset()
        XCTAssertEqual(state.slashings[3], .zero)
        XCTAssertEqual(state.slashings.filter { $0 == .zero }.count, 1)
        // Wrap-around: the last epoch of the vector clears slot 0.
        state.slot = Slot(63 * 8)
        state.processSlashingsReset()
        XCTAssertEqual(state.slashings[0], .zero)
        XCTAssertEqual(state.slashings[63], Stake(64))
    }

    func testRandaoMixesResetCarriesTheCurrentMixForward() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(16)
        state.randaoMixes = (0..<UInt64(64)).map { RuleFixture.root($0) }
        state.processRandaoMixesReset()
        XCTAssertEqual(state.randaoMixes[3], RuleFixture.root(2))
        XCTAssertEqual(state.randaoMixes[2], RuleFixture.root(2))
        XCTAssertEqual(state.randaoMixes[4], RuleFixture.root(4))
        state.slot = Slot(63 * 8)
        state.processRandaoMixesReset()
        XCTAssertEqual(state.randaoMixes[0], RuleFixture.root(63))
    }

    func testParticipationRecordsRotate() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(16)
        state.previousEpochAttestations = [pending(1, slot: 9)]
        state.currentEpochAttestations = [pending(2, slot: 17), pending(3, slot: 18)]
        state.processParticipationRecordUpdates()
        XCTAssertEqual(state.previousEpochAttestations, [pending(2, slot: 17), pending(3, slot: 18)])
        XCTAssertEqual(state.currentEpochAttestations, [])
    }

    func testEpochProcessingRunsTheFinalUpdatesAtTheBoundaryOnly() throws {
        var state = try RuleFixture.genesis()
        RuleFixture.apply(try RuleFixture.makeBlock(on: state, slot: 1), to: &state)
        let mix = state.randaoMixes[0]
        XCTAssertNotEqual(mix, state.randaoMixes[1], "the block's reveal changed epoch 0's mix")
        state.currentEpochAttestations = [pending(2, slot: 2)]
        try state.processSlots(7)
        XCTAssertEqual(state.currentEpochAttestations.count, 1, "no epoch processing inside the epoch")
        XCTAssertNotEqual(state.randaoMixes[1], mix)
        try state.processSlots(8)
        XCTAssertEqual(state.randaoMixes[1], mix)
        XCTAssertEqual(state.previousEpochAttestations, [pending(2, slot: 2)])
        XCTAssertEqual(state.currentEpochAttestations, [])
    }
}
