extension ChainState {
    /// phase0 `state_transition`: advance to the block's slot, check the proposer's signature,
    /// apply the block, and check the state root it claims.
    ///
    /// - Parameters:
    ///   - signedBlock: the block and its proposer's signature.
    ///   - validateResult: check the proposer signature and the claimed state root (false only
    ///     while building a block, whose state root is not known yet).
    ///   - strategy: how to treat signatures; under `.collect`, the caller must check the
    ///     returned sets and treat the block as invalid if any fails.
    /// - Returns: the signatures collected under `.collect` (empty otherwise).
    /// - Throws: `BlockProcessingError`; the state is then partly updated and must be dropped.
    @discardableResult
    public mutating func stateTransition(
        _ signedBlock: SignedBlock, validateResult: Bool = true, strategy: SignatureStrategy = .verifyIndividually
    ) throws(BlockProcessingError) -> [SignatureSet] {
        let block = signedBlock.message
        do { try processSlots(block.slot) } catch { throw .slots(error) }
        var verifier = SignatureVerifier(strategy)
        if validateResult {
            guard isValidValidatorIndex(block.proposerIndex) else {
                throw .header(.wrongProposer(block: block.proposerIndex, expected: (try? getBeaconProposerIndex()) ?? 0))
            }
            let proposer = validators[Int(block.proposerIndex.rawValue)]
            let signingRoot = computeSigningRoot(block.hashTreeRoot, domain: .blockProposal, genesisRoot: genesisRoot)
            guard verifier.check(SignatureSet(publicKey: proposer.publicKey, signingRoot: signingRoot, signature: signedBlock.signature))
            else { throw .blockSignatureInvalid }
        }
        try processBlock(block, verifier: &verifier)
        if validateResult {
            let computed = hashTreeRoot()
            guard block.stateRoot == computed else { throw .stateRootMismatch(block: block.stateRoot, computed: computed) }
        }
        return verifier.collector.sets
    }

    /// phase0 `process_slots`: run `processSlot` for every slot up to `target`, and epoch
    /// processing at each epoch boundary.
    public mutating func processSlots(_ target: Slot) throws(SlotProcessingError) {
        guard slot < target else { throw .slotNotAfterState(target: target, state: slot) }
        while slot < target {
            processSlot()
            if (slot.rawValue + 1) % preset.slotsPerEpoch == 0 {
                do { try processEpoch() } catch { throw .epochProcessing(error) }
            }
            slot = Slot(slot.rawValue + 1)
        }
    }

    /// phase0 `process_slot`: cache the state and block roots of the slot that is ending.
    public mutating func processSlot() {
        let previousStateRoot = hashTreeRoot()
        let index = Int(slot.rawValue % preset.slotsPerHistoricalRoot)
        stateRoots[index] = previousStateRoot
        if latestBlockHeader.stateRoot == .zero { latestBlockHeader.stateRoot = previousStateRoot }
        blockRoots[index] = latestBlockHeader.hashTreeRoot
    }
}
