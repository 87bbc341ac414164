import KeelChain

extension ForkChoiceStore {
    /// phase0 fork choice `on_attester_slashing`: the validator of a slashable pair of
    /// attestations is an equivocator, and its latest message stops counting in `getHead`.
    ///
    /// Without it, an equivocator's last vote keeps its weight after the validator is slashed and
    /// gone; nodes that saw different last votes (across a partition, say) weigh the forks
    /// differently for good, and honest votes can stay split.
    ///
    /// - Parameter slashing: Evidence whose signatures were checked (``VerifiedAttesterSlashing``
    ///   from gossip, or a slashing inside an imported block).
    /// - Returns: Whether the validator was newly marked.
    @discardableResult
    mutating func onAttesterSlashing(_ slashing: AttesterSlashing) -> Bool {
        let first = slashing.attestation1
        let second = slashing.attestation2
        guard first.validatorIndex == second.validatorIndex,
            isSlashableAttestationData(first.data, second.data) || isSlashableAttestationData(second.data, first.data)
        else { return false }
        return equivocatingIndices.insert(first.validatorIndex).inserted
    }

    /// Marks the equivocators of verified gossiped evidence.
    @discardableResult
    public mutating func onAttesterSlashing(_ slashing: VerifiedAttesterSlashing) -> Bool {
        onAttesterSlashing(slashing.slashing)
    }
}
