import KeelChain
@testable import KeelConsensus
import KeelCrypto
import KeelTestSupport
import XCTest

final class AttestationPoolTests: XCTestCase {
    func testIncludesOnlyAttestationsTheBlockCanCarry() throws {
        let devnet = try Devnet()
        var chain = try TestChain(validatorCount: 16)
        var block9: SignedBlock? = nil
        for slot in UInt64(1)...9 { block9 = try chain.advance(to: Slot(slot)) }
        let state = chain.state
        XCTAssertEqual(state.slot, 9)
        var pool = AttestationPool(preset: state.preset)

        // Includable at slot 10: the committee of slot 9 voting for the head.
        let valid = chain.attestationPool
        XCTAssertEqual(valid.count, 2)
        for attestation in valid { XCTAssertEqual(pool.insert(attestation), .added) }
        XCTAssertEqual(pool.insert(valid[0]), .duplicate)
        // Already in the state (included by block 9).
        let included = block9!.message.body.attestations
        XCTAssertFalse(included.isEmpty)
        for attestation in included { pool.insert(attestation) }
        // Too early: slot 10's own votes.
        for attestation in try devnet.attest(headRoot: chain.headRoot, headState: state, slot: 10) { pool.insert(attestation) }
        // Too late: a slot-1 vote (1 + 8 < 10).
        let stale = AttestationData(
            slot: 1, beaconBlockRoot: try state.getBlockRootAtSlot(1), source: Checkpoint(epoch: 0, root: .zero),
            target: Checkpoint(epoch: 0, root: devnet.genesisBlockRoot))
        pool.insert(devnet.sign(stale, by: state.getBeaconCommittee(1)[0]))
        // Wrong source.
        var wrongSource = valid[0].data
        wrongSource.source = Checkpoint(epoch: 0, root: devnet.genesisBlockRoot)
        pool.insert(devnet.sign(wrongSource, by: valid[0].validatorIndex))
        // Not in the committee of slot 9.
        let outsider = state.getBeaconCommittee(3)[0]
        pool.insert(devnet.sign(valid[0].data, by: outsider))
        // A second, different vote of a slot-9 voter for the same target epoch.
        var otherHead = valid[1].data
        otherHead.beaconBlockRoot = try state.getBlockRootAtSlot(8)
        let otherVote = devnet.sign(otherHead, by: valid[1].validatorIndex)
        pool.insert(otherVote)

        let chosen = pool.attestationsForBlock(state: state, slot: 10)
        XCTAssertEqual(Set(chosen.map(\.validatorIndex)), Set(valid.map(\.validatorIndex)))
        XCTAssertEqual(chosen.count, 2, "one vote per validator and target epoch")
        XCTAssertEqual(chosen.map(\.validatorIndex), chosen.map(\.validatorIndex).sorted())
        XCTAssertEqual(pool.attestationsForBlock(state: state, slot: 10), chosen, "deterministic")
        // Of the two votes of one validator, the one with the lower data root comes first and is kept.
        let kept = [valid[1], otherVote].min { $0.data.hashTreeRoot < $1.data.hashTreeRoot }!
        XCTAssertTrue(chosen.contains(kept))
        XCTAssertTrue(chosen.contains(valid[0]))

        // The state transition takes every one of them.
        var preview = state
        try preview.processSlots(10)
        let proposal = try state.produceBlock(
            slot: 10, randaoReveal: devnet.reveal(try preview.getBeaconProposerIndex(), in: preview),
            operations: BlockOperations(attestations: chosen))
        XCTAssertEqual(proposal.block.body.attestations, chosen)
        // Later the slot-9 votes leave the window (9 + 8 < 18) while slot 10's enter it; after
        // slot 18 nothing held is includable.
        XCTAssertEqual(Set(pool.attestationsForBlock(state: state, slot: 18).map(\.data.slot)), [10])
        XCTAssertTrue(pool.attestationsForBlock(state: state, slot: 19).isEmpty)
        XCTAssertTrue(pool.attestationsForBlock(state: state, slot: 8).isEmpty, "a slot before the state's")
    }

    func testAcrossAnEpochBoundaryUsesTheAdvancedState() throws {
        var chain = try TestChain(validatorCount: 16)
        for slot in UInt64(1)...7 { try chain.advance(to: Slot(slot)) }
        var pool = AttestationPool(preset: chain.state.preset)
        for attestation in chain.attestationPool { pool.insert(attestation) }
        // Slot 7's votes (previous epoch at slot 9) stay includable after the boundary.
        let chosen = pool.attestationsForBlock(state: chain.state, slot: 9)
        XCTAssertEqual(chosen, chain.attestationPool.sorted { $0.validatorIndex < $1.validatorIndex })
        let block = try chain.advance(to: 9)
        XCTAssertEqual(Set(block.message.body.attestations), Set(chosen))
    }

    func testBoundedByMaxAttestations() throws {
        var preset = Preset.devnet
        preset.maxAttestations = 3
        var chain = try TestChain(validatorCount: 64, preset: preset)
        try chain.advance(to: 1)
        var pool = AttestationPool(preset: preset)
        XCTAssertEqual(chain.attestationPool.count, 8)
        for attestation in chain.attestationPool { pool.insert(attestation) }
        let chosen = pool.attestationsForBlock(state: chain.state, slot: 2)
        XCTAssertEqual(chosen.count, 3)
        XCTAssertEqual(chosen.map(\.validatorIndex), Array(chain.attestationPool.map(\.validatorIndex).sorted().prefix(3)))
    }

    func testCapacityEvictsTheOldestAndPruneDropsExpired() throws {
        let devnet = try Devnet()
        func vote(_ slot: Slot, _ validator: ValidatorIndex) -> Attestation {
            devnet.sign(AttestationData(
                slot: slot, beaconBlockRoot: devnet.genesisBlockRoot, source: Checkpoint(epoch: 0, root: .zero),
                target: Checkpoint(epoch: 0, root: devnet.genesisBlockRoot)), by: validator)
        }
        var pool = AttestationPool(preset: .devnet, capacity: 2)
        XCTAssertEqual(pool.insert(vote(1, 0)), .added)
        XCTAssertEqual(pool.insert(vote(1, 1)), .added)
        XCTAssertEqual(pool.insert(vote(1, 2)), .full, "nothing older to evict")
        XCTAssertEqual(pool.insert(vote(2, 3)), .added, "evicts the oldest")
        XCTAssertEqual(pool.count, 2)
        XCTAssertEqual(pool.insert(vote(1, 1)), .duplicate, "the younger slot-1 vote stayed")
        XCTAssertEqual(pool.insert(vote(1, 0)), .full, "the first slot-1 vote went")
        pool.prune(currentSlot: 10)
        XCTAssertEqual(pool.count, 1, "slot 1 expired (1 + 8 < 10), slot 2 not yet")
        pool.prune(currentSlot: 11)
        XCTAssertEqual(pool.count, 0)
    }
}
