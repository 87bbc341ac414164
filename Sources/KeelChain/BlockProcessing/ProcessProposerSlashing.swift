extension ChainState {
    /// phase0 `process_proposer_slashing`.
    public mutating func processProposerSlashing(
        _ slashing: ProposerSlashing, verifier: inout SignatureVerifier
    ) throws(ProposerSlashingInvalid) {
        let header1 = slashing.signedHeader1.message
        let header2 = slashing.signedHeader2.message
        guard header1.slot == header2.slot else { throw .slotsDiffer }
        guard header1.proposerIndex == header2.proposerIndex else { throw .proposersDiffer }
        guard header1 != header2 else { throw .headersEqual }
        let index = header1.proposerIndex
        guard isValidValidatorIndex(index) else { throw .unknownValidator(index) }
        let proposer = validators[Int(index.rawValue)]
        guard proposer.isSlashableValidator(getCurrentEpoch()) else { throw .notSlashable(index) }
        for (position, signed) in [slashing.signedHeader1, slashing.signedHeader2].enumerated() {
            let signingRoot = computeSigningRoot(signed.message.hashTreeRoot, domain: .blockProposal, genesisRoot: genesisRoot)
            let set = SignatureSet(publicKey: proposer.publicKey, signingRoot: signingRoot, signature: signed.signature)
            guard verifier.check(set) else { throw .badSignature(header: position + 1) }
        }
        do { try slashValidator(index) } catch { preconditionFailure("a block being processed has a proposer") }
    }
}
