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

extension ForkChoiceStore {
    /// Marks the proposer of a double proposal as an equivocator, as `onAttesterSlashing` does
    /// for a double vote.
    ///
    /// Departure from phase0, whose fork choice learns equivocators from attester slashings only.
    /// A validator caught double proposing is usually also double voting, but once slashed it is
    /// no longer slashable, so no attester slashing against it can be included or relayed any
    /// more, and its last vote would keep weighing. Nodes that saw different last votes from it
    /// during a partition then weigh the forks differently after the heal, and honest votes can
    /// stay split for good (a soak seed did exactly that). Proof of any equivocation is enough to
    /// stop counting a vote.
    ///
    /// - Parameter slashing: Evidence whose signatures were checked (a slashing inside an
    ///   imported block).
    /// - Returns: Whether the proposer was newly marked.
    @discardableResult
    mutating func onProposerSlashing(_ slashing: ProposerSlashing) -> Bool {
        let first = slashing.signedHeader1.message
        let second = slashing.signedHeader2.message
        guard first.proposerIndex == second.proposerIndex, first.slot == second.slot, first != second else { return false }
        return equivocatingIndices.insert(first.proposerIndex).inserted
    }

    /// Marks the proposer of verified gossiped evidence.
    @discardableResult
    public mutating func onProposerSlashing(_ slashing: VerifiedProposerSlashing) -> Bool {
        onProposerSlashing(slashing.slashing)
    }
}
