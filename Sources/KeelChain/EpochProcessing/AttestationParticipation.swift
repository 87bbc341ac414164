/// phase0 "matching attestations" for one epoch, as flags per validator: who voted with a
/// matching source, target and head, unslashed (phase0 `get_unslashed_attesting_indices`),
/// and each attester's earliest inclusion (for the inclusion-delay reward).
struct AttestationParticipation {
    var source: [Bool]
    var target: [Bool]
    var head: [Bool]
    /// For source attesters: the attestation with the smallest inclusion delay.
    var earliest: [PendingAttestation?]
    var sourceBalance: Stake
    var targetBalance: Stake
    var headBalance: Stake
}

extension ChainState {
    /// phase0 `get_matching_source_attestations`, `get_matching_target_attestations` and
    /// `get_matching_head_attestations` for `epoch` (previous or current), reduced to flags.
    func attestationParticipation(_ epoch: Epoch) throws(EpochProcessingError) -> AttestationParticipation {
        precondition(epoch == getPreviousEpoch() || epoch == getCurrentEpoch())
        let attestations = epoch == getCurrentEpoch() ? currentEpochAttestations : previousEpochAttestations
        let count = validators.count
        var result = AttestationParticipation(
            source: Array(repeating: false, count: count), target: Array(repeating: false, count: count),
            head: Array(repeating: false, count: count), earliest: Array(repeating: nil, count: count),
            sourceBalance: .zero, targetBalance: .zero, headBalance: .zero)
        let targetRoot: Root
        do { targetRoot = try getBlockRoot(epoch) } catch { throw .state(error) }
        for attestation in attestations {
            let index = Int(attestation.validatorIndex.rawValue)
            guard !validators[index].slashed else { continue }
            result.source[index] = true
            if let earliest = result.earliest[index], earliest.inclusionDelay <= attestation.inclusionDelay {} else {
                result.earliest[index] = attestation
            }
            guard attestation.data.target.root == targetRoot else { continue }
            result.target[index] = true
            let headRoot: Root
            do { headRoot = try getBlockRootAtSlot(attestation.data.slot) } catch { throw .state(error) }
            if attestation.data.beaconBlockRoot == headRoot { result.head[index] = true }
        }
        result.sourceBalance = getTotalBalance(flagged(result.source))
        result.targetBalance = getTotalBalance(flagged(result.target))
        result.headBalance = getTotalBalance(flagged(result.head))
        return result
    }

    func flagged(_ flags: [Bool]) -> [ValidatorIndex] {
        flags.indices.filter { flags[$0] }.map { ValidatorIndex(UInt64($0)) }
    }
}
