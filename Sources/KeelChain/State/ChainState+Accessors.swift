import KeelCrypto

/// phase0 "Beacon state accessors" and the misc helpers they use, with the spec's names.
extension ChainState {
    /// phase0 `compute_epoch_at_slot`.
    public func computeEpochAtSlot(_ slot: Slot) -> Epoch {
        Epoch(slot.rawValue / preset.slotsPerEpoch)
    }

    /// phase0 `compute_start_slot_at_epoch`.
    public func computeStartSlotAtEpoch(_ epoch: Epoch) -> Slot {
        Slot(epoch.rawValue &* preset.slotsPerEpoch)
    }

    /// phase0 `compute_activation_exit_epoch`.
    public func computeActivationExitEpoch(_ epoch: Epoch) -> Epoch {
        Epoch(epoch.rawValue + 1 + preset.maxSeedLookahead)
    }

    /// phase0 `get_current_epoch`.
    public func getCurrentEpoch() -> Epoch { computeEpochAtSlot(slot) }

    /// phase0 `get_previous_epoch`.
    public func getPreviousEpoch() -> Epoch {
        let current = getCurrentEpoch()
        return current == Constants.genesisEpoch ? Constants.genesisEpoch : Epoch(current.rawValue - 1)
    }

    /// phase0 `get_block_root_at_slot`: asserts `slot < state.slot <= slot + SLOTS_PER_HISTORICAL_ROOT`.
    public func getBlockRootAtSlot(_ slot: Slot) throws(StateAccessError) -> Root {
        guard slot < self.slot, self.slot.rawValue <= slot.rawValue &+ preset.slotsPerHistoricalRoot else {
            throw .slotOutOfHistory(requested: slot, current: self.slot)
        }
        return blockRoots[Int(slot.rawValue % preset.slotsPerHistoricalRoot)]
    }

    /// phase0 `get_block_root`: the root of the block at the start of `epoch`.
    public func getBlockRoot(_ epoch: Epoch) throws(StateAccessError) -> Root {
        try getBlockRootAtSlot(computeStartSlotAtEpoch(epoch))
    }

    /// phase0 `get_randao_mix`.
    public func getRandaoMix(_ epoch: Epoch) -> Root {
        randaoMixes[Int(epoch.rawValue % preset.epochsPerHistoricalVector)]
    }

    /// phase0 `get_active_validator_indices`.
    public func getActiveValidatorIndices(_ epoch: Epoch) -> [ValidatorIndex] {
        var indices: [ValidatorIndex] = []
        indices.reserveCapacity(validators.count)
        for (index, validator) in validators.enumerated() where validator.isActiveValidator(epoch) {
            indices.append(ValidatorIndex(UInt64(index)))
        }
        return indices
    }

    /// phase0 `get_validator_churn_limit`.
    public func getValidatorChurnLimit() -> UInt64 {
        let active = UInt64(getActiveValidatorIndices(getCurrentEpoch()).count)
        return max(preset.minPerEpochChurnLimit, active / preset.churnLimitQuotient)
    }

    /// phase0 `get_seed`: `hash(domain_type + uint_to_bytes(epoch) + mix)`.
    public func getSeed(_ epoch: Epoch, domainType: DomainType) -> Root {
        let lookback = epoch.rawValue &+ preset.epochsPerHistoricalVector &- preset.minSeedLookahead &- 1
        let mix = getRandaoMix(Epoch(lookback))
        var hasher = SHA256.Hasher()
        hasher.update([domainType.rawValue])
        hasher.update(withUnsafeBytes(of: epoch.rawValue.littleEndian, Array.init))
        hasher.update(mix)
        return hasher.finalize()
    }

    /// The shuffled active set of `epoch`, from which all of that epoch's committees are cut.
    /// Callers that need several committees of one epoch hold on to it; the process also keeps
    /// the last few (``ShufflingMemo``, keyed by the seed and active set themselves).
    public func getEpochShuffling(_ epoch: Epoch) -> EpochShuffling {
        let active = getActiveValidatorIndices(epoch)
        let seed = getSeed(epoch, domainType: .attestation)
        let key = ShufflingMemo.Key(seed: seed, shuffleRoundCount: preset.shuffleRoundCount, active: active)
        return EpochShuffling(
            epoch: epoch, seed: seed, slotsPerEpoch: preset.slotsPerEpoch, shuffled: ShufflingMemo.shared.shuffled(key))
    }

    /// phase0 `get_beacon_committee`, with one committee per slot (`get_committee_count_per_slot`
    /// is 1 here, so the committee index is the slot within its epoch).
    public func getBeaconCommittee(_ slot: Slot) -> [ValidatorIndex] {
        getEpochShuffling(computeEpochAtSlot(slot)).committee(slot)
    }

    /// phase0 `get_beacon_proposer_index`: seeded by the epoch's proposer seed and the slot.
    public func getBeaconProposerIndex() throws(StateAccessError) -> ValidatorIndex {
        try getBeaconProposerIndex(at: slot)
    }

    /// The proposer of another slot of the current epoch (same seed and effective stakes), as
    /// `get_beacon_proposer_index` would give it at that slot: for duties and explorers.
    ///
    /// - Precondition: `slot` is in the current epoch.
    public func getBeaconProposerIndex(at slot: Slot) throws(StateAccessError) -> ValidatorIndex {
        let epoch = getCurrentEpoch()
        precondition(computeEpochAtSlot(slot) == epoch, "a proposer is computed within the state's epoch")
        var hasher = SHA256.Hasher()
        hasher.update(getSeed(epoch, domainType: .blockProposal))
        hasher.update(withUnsafeBytes(of: slot.rawValue.littleEndian, Array.init))
        let seed = hasher.finalize()
        let indices = getActiveValidatorIndices(epoch)
        guard !indices.isEmpty else { throw .noActiveValidators(epoch: epoch) }
        do {
            return try computeProposerIndex(
                indices: indices, effectiveStake: { validators[Int($0.rawValue)].effectiveStake }, seed: seed,
                maxEffectiveStake: preset.maxEffectiveStake, shuffleRoundCount: preset.shuffleRoundCount)
        } catch {
            throw .proposerSelectionFailed(epoch: epoch)
        }
    }

    /// phase0 `get_total_balance`: the sum of effective stakes, at least one increment (so it
    /// can divide).
    public func getTotalBalance(_ indices: some Sequence<ValidatorIndex>) -> Stake {
        var total: UInt64 = 0
        for index in indices { total &+= validators[Int(index.rawValue)].effectiveStake.rawValue }
        return Stake(max(preset.effectiveStakeIncrement.rawValue, total))
    }

    /// phase0 `get_total_active_balance`.
    public func getTotalActiveBalance() -> Stake {
        getTotalBalance(getActiveValidatorIndices(getCurrentEpoch()))
    }

    /// Whether `index` names a validator in the registry.
    public func isValidValidatorIndex(_ index: ValidatorIndex) -> Bool {
        index.rawValue < UInt64(validators.count)
    }
}

/// The shuffled active validators of one epoch; committee `k` is slot `k` of the epoch.
public struct EpochShuffling: Hashable, Sendable {
    public let epoch: Epoch
    public let seed: Root
    public let slotsPerEpoch: UInt64
    public let shuffled: [ValidatorIndex]

    /// phase0 `compute_committee` for the committee of `slot`, over the precomputed shuffle.
    public func committee(_ slot: Slot) -> [ValidatorIndex] {
        precondition(slot.rawValue / slotsPerEpoch == epoch.rawValue, "slot \(slot) is not in epoch \(epoch)")
        let index = slot.rawValue % slotsPerEpoch
        let count = UInt64(shuffled.count)
        let start = Int(count * index / slotsPerEpoch)
        let end = Int(count * (index + 1) / slotsPerEpoch)
        return Array(shuffled[start..<end])
    }

    /// Each validator's assigned attestation slot in this epoch (its duty).
    public func attestationSlots() -> [ValidatorIndex: Slot] {
        var slots: [ValidatorIndex: Slot] = [:]
        for offset in 0..<slotsPerEpoch {
            let slot = Slot(epoch.rawValue * slotsPerEpoch + offset)
            for index in committee(slot) { slots[index] = slot }
        }
        return slots
    }
}

/// A state lookup the spec asserts on.
public enum StateAccessError: Error, Hashable, Sendable {
    case slotOutOfHistory(requested: Slot, current: Slot)
    case noActiveValidators(epoch: Epoch)
    case proposerSelectionFailed(epoch: Epoch)
}
