import KeelChain
import KeelCrypto

extension ForkChoiceStore {
    /// phase0 `on_attestation`: validates the attestation against the store, checks its
    /// validator and signature against the target checkpoint state, and moves the validator's
    /// latest message forward.
    ///
    /// Keel attestations carry one validator (no aggregation), so phase0's
    /// `get_indexed_attestation` becomes "the validator sits in the committee of the
    /// attestation's slot in the target checkpoint state".
    ///
    /// - Parameters:
    ///   - attestation: A single-validator attestation.
    ///   - isFromBlock: Whether it came inside a block (phase0 v1.1): then its target epoch is
    ///     not checked against the current time, since a block may carry old attestations.
    ///     `onBlock` already counts the attestations of the blocks it imports.
    ///   - verifySignature: False only in the simulator's scale runs (``SignatureMode/skip``);
    ///     the committee is checked either way.
    /// - Returns: The attestation as verified, for the pool, the detector and relay.
    /// - Throws: `ForkChoiceError.invalidAttestation` with the assertion that failed; the store
    ///   is then unchanged except, possibly, for a newly cached checkpoint state.
    @discardableResult
    public mutating func onAttestation(
        _ attestation: Attestation, isFromBlock: Bool, verifySignature: Bool = true
    ) throws(ForkChoiceError) -> VerifiedAttestation {
        let data = attestation.data
        do { try validateOnAttestation(data, isFromBlock: isFromBlock) } catch { throw .invalidAttestation(error) }
        // phase0 `store_target_checkpoint_state`.
        let summary: CheckpointSummary
        do { summary = try checkpointSummary(data.target) } catch {
            throw .invalidAttestation(.targetStateUnavailable(error))
        }
        let index = attestation.validatorIndex
        guard index.rawValue < UInt64(summary.publicKeys.count) else { throw .invalidAttestation(.unknownValidator(index)) }
        let position = Int(index.rawValue)
        guard summary.attestationSlots[position] == data.slot.rawValue else {
            throw .invalidAttestation(.notInCommittee(index, slot: data.slot))
        }
        if verifySignature {
            guard let genesisRoot = blockStates[data.target.root]?.genesisRoot else {
                preconditionFailure("a validated target has a state")
            }
            let signingRoot = computeSigningRoot(data.hashTreeRoot, domain: .attestation, genesisRoot: genesisRoot)
            guard summary.publicKeys[position].isValidSignature(attestation.signature, for: signingRoot) else {
                throw .invalidAttestation(.badSignature)
            }
        }
        updateLatestMessage(index, data: data)
        return VerifiedAttestation(checked: attestation)
    }

    /// phase0 v1.1 `validate_on_attestation` (with `validate_target_epoch_against_current_time`
    /// for attestations that did not come in a block).
    func validateOnAttestation(_ data: AttestationData, isFromBlock: Bool) throws(OnAttestationInvalid) {
        let target = data.target
        if !isFromBlock {
            // Attestations must be from the current or previous epoch.
            let currentEpoch = computeEpochAtSlot(currentSlot)
            // Use the genesis epoch for previous when genesis to avoid underflow.
            let previousEpoch = currentEpoch > Constants.genesisEpoch ? Epoch(currentEpoch.rawValue - 1) : Constants.genesisEpoch
            // If the attestation's target is from a future epoch, delay consideration until the
            // epoch arrives.
            guard target.epoch <= currentEpoch else { throw .futureTargetEpoch(target: target.epoch, current: currentEpoch) }
            guard target.epoch >= previousEpoch else { throw .targetEpochTooOld(target: target.epoch, previous: previousEpoch) }
        }
        guard target.epoch == computeEpochAtSlot(data.slot) else {
            throw .targetEpochDoesNotMatchSlot(target: target.epoch, slot: data.slot)
        }
        // Attestation targets must be for a known block. If the target block is unknown, delay
        // consideration until the block is found.
        guard nodeIndices[target.root] != nil else { throw .unknownTargetRoot(target.root) }
        // Attestations must be for a known block. If the block is unknown, delay consideration
        // until the block is found.
        guard let headIndex = nodeIndices[data.beaconBlockRoot] else { throw .unknownHeadBlock(data.beaconBlockRoot) }
        // Attestations must not be for blocks in the future. If not, the attestation should not
        // be considered.
        let headSlot = nodes[headIndex].slot
        guard headSlot <= data.slot else { throw .headBlockAfterAttestationSlot(blockSlot: headSlot, attestationSlot: data.slot) }
        // The LMD vote must be consistent with the FFG vote target.
        let targetSlot = computeStartSlotAtEpoch(target.epoch)
        let ancestor = getAncestor(data.beaconBlockRoot, slot: targetSlot)
        guard ancestor == target.root else { throw .targetNotAncestorOfHead(target: target.root, ancestor: ancestor) }
        // Attestations can only affect the fork choice of subsequent slots. Delay consideration
        // in the fork choice until their slot is in the past.
        guard currentSlot > data.slot else { throw .futureSlot(attestationSlot: data.slot, currentSlot: currentSlot) }
    }

    /// phase0 `update_latest_messages` for one validator: a vote replaces the validator's
    /// latest message only if its target epoch is later.
    mutating func updateLatestMessage(_ validator: ValidatorIndex, data: AttestationData) {
        let position = Int(validator.rawValue)
        if position >= latestMessages.count {
            // Validator indices are checked against a registry before they get here, so this
            // grows to the registry's size at most.
            latestMessages.append(contentsOf: repeatElement(nil, count: position + 1 - latestMessages.count))
        }
        precondition(position < latestMessages.count)
        if let existing = latestMessages[position], existing.epoch >= data.target.epoch { return }
        latestMessages[position] = LatestMessage(epoch: data.target.epoch, root: data.beaconBlockRoot)
    }
}
