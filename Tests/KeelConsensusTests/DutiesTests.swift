import KeelChain
import KeelConsensus
import KeelCrypto
import KeelTestSupport
import XCTest

final class DutiesTests: XCTestCase {
    func testEveryActiveValidatorAttestsExactlyOncePerEpoch() throws {
        for validatorCount in [16, 100] {
            let devnet = try Devnet(validatorCount: validatorCount)
            let state = devnet.genesis
            for epoch in [Epoch(0), Epoch(1)] {
                let duties = try Duties.attesterDuties(state: state, epoch: epoch)
                let active = state.getActiveValidatorIndices(epoch)
                XCTAssertEqual(Set(duties.keys), Set(active), "validators \(validatorCount), epoch \(epoch)")
                XCTAssertEqual(duties.count, active.count)
                let startSlot = state.computeStartSlotAtEpoch(epoch)
                for slot in startSlot.rawValue..<(startSlot.rawValue + state.preset.slotsPerEpoch) {
                    let committee = state.getBeaconCommittee(Slot(slot))
                    XCTAssertEqual(Set(duties.keys.filter { duties[$0] == Slot(slot) }), Set(committee))
                }
            }
        }
    }

    func testDutiesRefuseEpochsTheStateDoesNotDetermine() throws {
        var chain = try TestChain(validatorCount: 16)
        try chain.advance(to: 17)
        XCTAssertThrowsError(try Duties.attesterDuties(state: chain.state, epoch: 0))
        XCTAssertThrowsError(try Duties.attesterDuties(state: chain.state, epoch: 4))
        XCTAssertNoThrow(try Duties.attesterDuties(state: chain.state, epoch: 1))
        XCTAssertThrowsError(try Duties.proposerDuties(state: chain.state, epoch: 1))
        XCTAssertThrowsError(try Duties.proposerDuties(state: chain.state, epoch: 4))
    }

    /// Blocks built with the duties' proposers pass the state transition, and a block claiming
    /// another proposer does not.
    func testProposerDutiesAreWhatTheStateTransitionAccepts() throws {
        let devnet = try Devnet()
        var chain = try TestChain(validatorCount: 16)
        var duties = try Duties.proposerDuties(state: chain.state, epoch: 0)
        XCTAssertEqual(duties.count, 8)
        XCTAssertEqual(duties[0], try chain.state.getBeaconProposerIndex())
        for slot in UInt64(1)...23 {
            if slot % 8 == 4 {
                // Half-way through an epoch, look one epoch ahead.
                let next = try Duties.proposerDuties(state: chain.state, epoch: Epoch(slot / 8 + 1))
                duties.merge(next) { old, _ in old }
            }
            // The same block the duty's proposer would make, rejected under any other proposer.
            let made = try devnet.makeBlock(on: chain.state, slot: Slot(slot), attestations: chain.attestationPool)
            XCTAssertEqual(made.block.message.proposerIndex, duties[Slot(slot)], "slot \(slot)")
            var impostor = made.block.message
            impostor.proposerIndex = ValidatorIndex((impostor.proposerIndex.rawValue + 1) % 16)
            let forged = SignedBlock(
                message: impostor,
                signature: devnet.secretKeys[Int(impostor.proposerIndex.rawValue)].sign(chain.state.signingRoot(of: impostor)))
            var check = chain.state
            let expected = BlockProcessingError.header(
                .wrongProposer(block: impostor.proposerIndex, expected: duties[Slot(slot)]!))
            XCTAssertThrowsError(try check.stateTransition(forged)) { XCTAssertEqual($0 as? BlockProcessingError, expected) }
            let block = try chain.advance(to: Slot(slot))
            XCTAssertEqual(block.message.proposerIndex, duties[Slot(slot)], "slot \(slot)")
        }
    }
}
