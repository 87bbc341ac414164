extension ChainState {
    /// phase0 `process_attestation`, for one validator's attestation: the validator must sit in
    /// the committee of the attestation's slot, and its source must be the justified checkpoint
    /// of the target's epoch.
    ///
    /// - Parameter shufflings: the previous and current epoch's shufflings, computed once per
    ///   block by the caller (a shuffle of the active set per attestation would dominate).
    public mutating func processAttestation(
        _ attestation: Attestation, proposerIndex: ValidatorIndex, shufflings: inout ShufflingLookup,
        verifier: inout SignatureVerifier
    ) throws(AttestationInvalid) {
        let data = attestation.data
        let currentEpoch = getCurrentEpoch()
        let previousEpoch = getPreviousEpoch()
        guard data.target.epoch == previousEpoch || data.target.epoch == currentEpoch else {
            throw .targetEpochNotPreviousOrCurrent(target: data.target.epoch, current: currentEpoch)
        }
        guard data.target.epoch == computeEpochAtSlot(data.slot) else {
            throw .targetEpochDoesNotMatchSlot(target: data.target.epoch, slot: data.slot)
        }
        guard data.slot.rawValue &+ preset.minAttestationInclusionDelay <= slot.rawValue else {
            throw .inclusionTooEarly(attestationSlot: data.slot, stateSlot: slot)
        }
        guard slot.rawValue <= data.slot.rawValue &+ preset.slotsPerEpoch else {
            throw .inclusionTooLate(attestationSlot: data.slot, stateSlot: slot)
        }
        let index = attestation.validatorIndex
        guard isValidValidatorIndex(index) else { throw .unknownValidator(index) }
        guard shufflings.committee(data.slot, of: self).contains(index) else {
            throw .notInCommittee(index, slot: data.slot)
        }
        let pending = PendingAttestation(
            validatorIndex: index, data: data, inclusionDelay: Slot(slot.rawValue - data.slot.rawValue),
            proposerIndex: proposerIndex)
        if data.target.epoch == currentEpoch {
            guard data.source == currentJustifiedCheckpoint else {
                throw .wrongSource(got: data.source, expected: currentJustifiedCheckpoint)
            }
            currentEpochAttestations.append(pending)
        } else {
            guard data.source == previousJustifiedCheckpoint else {
                throw .wrongSource(got: data.source, expected: previousJustifiedCheckpoint)
            }
            previousEpochAttestations.append(pending)
        }
        let publicKey = validators[Int(index.rawValue)].publicKey
        guard verifier.check(attestationSignatureSet(attestation, publicKey: publicKey)) else { throw .badSignature }
    }
}

/// The epoch shufflings one block's attestations need, computed at most once each.
public struct ShufflingLookup: Sendable {
    private var shufflings: [Epoch: EpochShuffling] = [:]

    public init() {}

    /// The committee of `slot`, from the shuffling of its epoch in `state`.
    mutating func committee(_ slot: Slot, of state: ChainState) -> [ValidatorIndex] {
        let epoch = state.computeEpochAtSlot(slot)
        if let shuffling = shufflings[epoch] { return shuffling.committee(slot) }
        let shuffling = state.getEpochShuffling(epoch)
        shufflings[epoch] = shuffling
        return shuffling.committee(slot)
    }
}
