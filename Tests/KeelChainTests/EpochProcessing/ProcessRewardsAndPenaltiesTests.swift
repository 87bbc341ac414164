import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `processRewardsAndPenalties` against phase0 `get_attestation_deltas`, recomputed here from the
/// spec's formulas: component rewards and penalties, inclusion-delay rewards, the proposer's
/// share, and the inactivity leak.
final class ProcessRewardsAndPenaltiesTests: XCTestCase {
    /// One validator's earliest included vote for the previous epoch.
    private struct Vote {
        var validator: Int
        var target: Bool
        var head: Bool
        var inclusionDelay: UInt64
        var proposer: Int
    }

    /// phase0 `get_attestation_deltas` as `reward - penalty` per validator, straight from the spec,
    /// for a state about to process the end of its current epoch.
    private func phase0Deltas(_ state: ChainState, votes: [Vote]) -> [Int64] {
        let preset = state.preset
        let current = state.getCurrentEpoch().rawValue
        let previous = current - 1
        let validators = Array(state.validators)
        func active(_ v: Validator, _ epoch: UInt64) -> Bool { v.activationEpoch.rawValue <= epoch && epoch < v.exitEpoch.rawValue }
        let increment = preset.effectiveStakeIncrement.rawValue
        let total = max(increment, validators.filter { active($0, current) }.reduce(0) { $0 + $1.effectiveStake.rawValue })
        let eligible = validators.indices.filter {
            active(validators[$0], previous) || (validators[$0].slashed && previous + 1 < validators[$0].withdrawableEpoch.rawValue)
        }
        let squareRoot = referenceIntegerSquareRoot(total)
        func baseReward(_ index: Int) -> UInt64 {
            validators[index].effectiveStake.rawValue * preset.baseRewardFactor / squareRoot / 4
        }
        let finalityDelay = previous - state.finalizedCheckpoint.epoch.rawValue
        let leaking = finalityDelay > preset.minEpochsToInactivityPenalty
        var rewards = Array(repeating: UInt64(0), count: validators.count)
        var penalties = Array(repeating: UInt64(0), count: validators.count)
        let unslashed = votes.filter { !validators[$0.validator].slashed }
        let components: [Set<Int>] = [
            Set(unslashed.map(\.validator)), Set(unslashed.filter(\.target).map(\.validator)),
            Set(unslashed.filter { $0.target && $0.head }.map(\.validator)),
        ]
        for attesters in components {
            let attestingBalance = max(increment, attesters.reduce(0) { $0 + validators[$1].effectiveStake.rawValue })
            for index in eligible {
                if attesters.contains(index) {
                    rewards[index] += leaking
                        ? baseReward(index) : baseReward(index) * (attestingBalance / increment) / (total / increment)
                } else {
                    penalties[index] += baseReward(index)
                }
            }
        }
        for vote in unslashed {
            let proposerReward = baseReward(vote.validator) / preset.proposerRewardQuotient
            rewards[vote.proposer] += proposerReward
            rewards[vote.validator] += (baseReward(vote.validator) - proposerReward) / vote.inclusionDelay
        }
        if leaking {
            let targetVoters = components[1]
            for index in eligible {
                penalties[index] += 4 * baseReward(index) - baseReward(index) / preset.proposerRewardQuotient
                if !targetVoters.contains(index) {
                    penalties[index] += validators[index].effectiveStake.rawValue * finalityDelay / preset.inactivityPenaltyQuotient
                }
            }
        }
        return validators.indices.map { index in
            let balance = validators[index].balance.rawValue
            let after = (balance + rewards[index]).saturatingSubtract(penalties[index])
            return Int64(after) - Int64(balance)
        }
    }

    /// The balance change of each validator across the epoch boundary after `state`.
    private func observedDeltas(_ state: ChainState) throws -> [Int64] {
        var post = state
        try post.processSlots(Slot(state.slot.rawValue + 1))
        return zip(state.validators, post.validators).map { Int64($1.balance.rawValue) - Int64($0.balance.rawValue) }
    }

    /// The earliest inclusion of each validator's vote for `epoch`, read from the blocks.
    private func votes(forEpoch epoch: Epoch, in chain: RuleChains.Partial) -> [Vote] {
        var earliest: [Int: Vote] = [:]
        for slot in chain.blocks.keys.sorted() {
            let block = chain.blocks[slot]!.message
            for attestation in block.body.attestations where attestation.data.target.epoch == epoch {
                let index = Int(attestation.validatorIndex.rawValue)
                let delay = block.slot.rawValue - attestation.data.slot.rawValue
                if let existing = earliest[index], existing.inclusionDelay <= delay { continue }
                earliest[index] = Vote(
                    validator: index, target: true, head: true, inclusionDelay: delay,
                    proposer: Int(block.proposerIndex.rawValue))
            }
        }
        return earliest.keys.sorted().map { earliest[$0]! }
    }

    func testPartialParticipationMatchesPhase0Exactly() throws {
        let chain = try RuleChains.partial.get()
        let state = chain.state(23)
        XCTAssertEqual(state.getCurrentEpoch(), 2)
        XCTAssertTrue(state.validators.prefix(8).allSatisfy { $0.effectiveStake == state.preset.maxEffectiveStake })
        let votes = votes(forEpoch: 1, in: chain)
        XCTAssertEqual(Set(votes.map(\.validator)), Set(1..<8), "every online validator's vote was included")
        let expected = phase0Deltas(state, votes: votes)
        XCTAssertEqual(try observedDeltas(state), expected)
        XCTAssertLessThan(expected[0], 0, "the offline validator loses")
        XCTAssertEqual(expected[8], 0, "a pending validator is not eligible")
        XCTAssertTrue(expected[1..<8].allSatisfy { $0 > 0 })
    }

    func testFullParticipationIncreasesEveryBalance() throws {
        let chain = try RuleChains.partial.get()
        var state = chain.state(23)
        // Add the offline validator's vote as its block would have: its slot in epoch 1, included
        // one slot later by that slot's proposer, matching target and head.
        let slot = state.getEpochShuffling(1).attestationSlots()[0]!
        let includer = chain.blocks[Slot(slot.rawValue + 1)]!.message.proposerIndex
        let data = AttestationData(
            slot: slot, beaconBlockRoot: try state.getBlockRootAtSlot(slot), source: state.previousEpochAttestations[0].data.source,
            target: Checkpoint(epoch: 1, root: try state.getBlockRoot(1)))
        state.previousEpochAttestations.append(
            PendingAttestation(validatorIndex: 0, data: data, inclusionDelay: 1, proposerIndex: includer))
        let votes = votes(forEpoch: 1, in: chain) + [
            Vote(validator: 0, target: true, head: true, inclusionDelay: 1, proposer: Int(includer.rawValue)),
        ]
        let observed = try observedDeltas(state)
        XCTAssertEqual(observed, phase0Deltas(state, votes: votes))
        XCTAssertTrue(observed[0..<8].allSatisfy { $0 > 0 }, "\(observed)")
    }

    /// A state at the last slot of `epoch` of a chain with no blocks, whose previous epoch's
    /// votes are `voters` (with `wrongTarget` voting for another target root).
    private func leakState(epoch: UInt64, voters: [Int], wrongTarget: Set<Int> = []) throws -> (ChainState, [Vote]) {
        var state = try RuleFixture.genesis()
        try state.processSlots(Slot(epoch * 8 + 7))
        let previous = Epoch(epoch - 1)
        let slots = state.getEpochShuffling(previous).attestationSlots()
        var votes: [Vote] = []
        for voter in voters {
            let slot = slots[ValidatorIndex(UInt64(voter))]!
            let targetRoot = wrongTarget.contains(voter) ? RuleFixture.root(7) : try state.getBlockRoot(previous)
            let data = AttestationData(
                slot: slot, beaconBlockRoot: try state.getBlockRootAtSlot(slot), source: state.previousJustifiedCheckpoint,
                target: Checkpoint(epoch: previous, root: targetRoot))
            let proposer = (voter + 1) % 8
            state.previousEpochAttestations.append(PendingAttestation(
                validatorIndex: ValidatorIndex(UInt64(voter)), data: data, inclusionDelay: 2,
                proposerIndex: ValidatorIndex(UInt64(proposer))))
            votes.append(Vote(
                validator: voter, target: !wrongTarget.contains(voter), head: !wrongTarget.contains(voter),
                inclusionDelay: 2, proposer: proposer))
        }
        return (state, votes)
    }

    func testTheInactivityLeakStartsAfterMinEpochsWithoutFinality() throws {
        let preset = Preset.devnet
        // End of epoch 5: finality delay 4, not yet a leak.
        let (calm, calmVotes) = try leakState(epoch: preset.minEpochsToInactivityPenalty + 1, voters: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(calm.finalizedCheckpoint.epoch, 0)
        XCTAssertEqual(try observedDeltas(calm), phase0Deltas(calm, votes: calmVotes))
        // End of epoch 6: finality delay 5 > 4, the leak.
        let (leaking, votes) = try leakState(epoch: preset.minEpochsToInactivityPenalty + 2, voters: [1, 2, 3, 4, 5, 6], wrongTarget: [6])
        let observed = try observedDeltas(leaking)
        XCTAssertEqual(observed, phase0Deltas(leaking, votes: votes))

        // The leak's extra penalty on non-target voters is effective · delay / quotient.
        let total = UInt64(8) * preset.maxEffectiveStake.rawValue
        let base = Int64(preset.maxEffectiveStake.rawValue * preset.baseRewardFactor / referenceIntegerSquareRoot(total) / 4)
        let proposerShare = base / Int64(preset.proposerRewardQuotient)
        let leakPenalty = Int64(leaking.validators[7].effectiveStake.rawValue * 5 / preset.inactivityPenaltyQuotient)
        XCTAssertEqual(leaking.validators[7].effectiveStake, preset.maxEffectiveStake)
        // Validator 7 never voted: three component penalties, the cancelled optimum, and the leak.
        let earned7 = Int64(votes.filter { $0.proposer == 7 }.count) * proposerShare
        XCTAssertEqual(observed[7] - earned7, -(3 * base + 4 * base - proposerShare + leakPenalty))
        // A perfect voter: the leak cancels its component rewards, leaving half the inclusion reward.
        let voter = 3
        let earned = Int64(votes.filter { $0.proposer == voter }.count) * proposerShare
        XCTAssertEqual(observed[voter] - earned, Int64(3 * base + (base - proposerShare) / 2) - (4 * base - proposerShare))
        // A source-only voter also pays the leak penalty.
        let sourceOnly = 6
        let earned6 = Int64(votes.filter { $0.proposer == sourceOnly }.count) * proposerShare
        XCTAssertEqual(
            observed[sourceOnly] - earned6,
            Int64(base + (base - proposerShare) / 2) - (2 * base + 4 * base - proposerShare + leakPenalty))
    }

    func testNoRewardsOrPenaltiesAtTheEndOfTheGenesisEpoch() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(7)
        XCTAssertEqual(try observedDeltas(state), Array(repeating: 0, count: 8))
    }
}

extension UInt64 {
    /// `self - other`, or zero (phase0 `decrease_balance`).
    fileprivate func saturatingSubtract(_ other: UInt64) -> UInt64 { self > other ? self - other : 0 }
}
