import KeelChain
import KeelCrypto

extension ForkChoiceStore {
    /// phase0 `on_block`: checks the block against the store, runs the full state transition on
    /// its parent's state, stores block and state, updates the justified, best-justified and
    /// finalized checkpoints, and counts the attestations the block carries as votes (phase0
    /// `on_attestation(..., is_from_block=True)` for each, as clients do on import). When
    /// finality advances, everything that does not descend from the finalized block is pruned.
    ///
    /// The justified and finalized updates follow phase0 v1.1: a better justified checkpoint is
    /// adopted at once when `shouldUpdateJustifiedCheckpoint` allows it and otherwise held as
    /// `bestJustifiedCheckpoint`; a later finalized checkpoint brings the block's justified
    /// checkpoint with it.
    ///
    /// A block already in the store is accepted again without work.
    ///
    /// - Parameters:
    ///   - signed: The block and its proposer's signature.
    ///   - strategy: How the state transition treats signatures. Under `.collect` this checks
    ///     the collected signatures itself before accepting the block; `.skip` is for the
    ///     simulator's scale runs only.
    ///   - verifyBatch: Under `.collect`, checks the collected signature sets together (the
    ///     node passes one that uses every core); one at a time by default.
    ///   - knownPostState: This block's post-state on its parent, as another store of the same
    ///     process already computed and checked it (the simulator's ``SharedTransitions``): the
    ///     transition is then not run again. The store checks everything else as usual.
    /// - Returns: The block's root.
    /// - Throws: `ForkChoiceError`; the store is then unchanged.
    @discardableResult
    public mutating func onBlock(
        _ signed: SignedBlock, strategy: SignatureStrategy = .verifyIndividually,
        verifyBatch: ([SignatureSet]) -> Bool = { sets in sets.allSatisfy(\.isValid) },
        knownPostState: ChainState? = nil
    ) throws(ForkChoiceError) -> Root {
        let block = signed.message
        let root = block.hashTreeRoot
        if nodeIndices[root] != nil { return root }
        guard let parentIndex = nodeIndices[block.parentRoot], let preState = blockStates[block.parentRoot] else {
            throw .unknownParent(block.parentRoot)
        }
        // Blocks cannot be in the future. If they are, their consideration must be delayed
        // until they are in the past.
        guard currentSlot >= block.slot else { throw .futureBlock(blockSlot: block.slot, currentSlot: currentSlot) }
        // The block must be later than the finalized epoch's start slot.
        let finalizedSlot = computeStartSlotAtEpoch(finalizedCheckpoint.epoch)
        guard block.slot > finalizedSlot else { throw .notAfterFinalized(blockSlot: block.slot, finalizedSlot: finalizedSlot) }
        // The block must descend from the finalized block.
        guard isDescendantOfFinalized(block.parentRoot) else {
            throw .notDescendantOfFinalized(parentRoot: block.parentRoot, finalized: finalizedCheckpoint)
        }
        guard nodes.count < config.blockCountMax else { throw .storeFull(blockCountMax: config.blockCountMax) }

        var state = preState
        if let knownPostState {
            precondition(knownPostState.latestBlockHeader.slot == block.slot, "a known post-state is this block's")
            state = knownPostState
        } else {
            let collected: [SignatureSet]
            do { collected = try state.stateTransition(signed, validateResult: true, strategy: strategy) } catch {
                throw .invalidBlock(error)
            }
            // Under `.collect` the state transition only gathered the signatures; the block is
            // valid only if every one of them is.
            if !collected.isEmpty, !verifyBatch(collected) { throw .invalidBlock(.signatureBatchInvalid) }
        }
        precondition(state.slot == block.slot, "the post-state is at the block's slot")

        nodes.append(BlockNode(
            root: root, slot: block.slot, parentIndex: parentIndex, justifiedCheckpoint: state.currentJustifiedCheckpoint))
        nodeIndices[root] = nodes.count - 1
        blocks[root] = signed
        blockStates[root] = state
        precondition(nodes.count == nodeIndices.count && nodes.count == blockStates.count)

        updateCheckpoints(justified: state.currentJustifiedCheckpoint, finalized: state.finalizedCheckpoint)
        // The state transition checked these slashings (phase0 fork choice feeds a block's
        // attester slashings to `on_attester_slashing`; proposer slashings are a departure).
        for slashing in block.body.attesterSlashings { onAttesterSlashing(slashing) }
        for slashing in block.body.proposerSlashings { onProposerSlashing(slashing) }
        for attestation in block.body.attestations {
            // The state transition checked these attestations' signatures and committees. One
            // that fork choice cannot use (its head block is unknown or pruned, say) is ignored,
            // as clients ignore it on import: the block is valid all the same.
            if (try? validateOnAttestation(attestation.data, isFromBlock: true)) != nil {
                updateLatestMessage(attestation.validatorIndex, data: attestation.data)
            }
        }
        return root
    }

    /// The checkpoint updates at the end of phase0 v1.1 `on_block`, with pruning when finality
    /// advances.
    mutating func updateCheckpoints(justified: Checkpoint, finalized: Checkpoint) {
        // Update justified checkpoint.
        if justified.epoch > justifiedCheckpoint.epoch {
            if justified.epoch > bestJustifiedCheckpoint.epoch { bestJustifiedCheckpoint = justified }
            if shouldUpdateJustifiedCheckpoint(justified) { setJustifiedCheckpoint(justified) }
        }
        // Update finalized checkpoint.
        if finalized.epoch > finalizedCheckpoint.epoch {
            finalizedCheckpoint = finalized
            if justified != justifiedCheckpoint { setJustifiedCheckpoint(justified) }
            pruneToFinalized()
        }
        precondition(justifiedCheckpoint.epoch >= finalizedCheckpoint.epoch, "justified is never behind finalized")
        precondition(nodeIndices[justifiedCheckpoint.root] != nil, "the justified block is in the tree")
    }

    /// phase0 `should_update_justified_checkpoint`: to address the bouncing attack, a
    /// conflicting justified checkpoint is only adopted in the early slots of an epoch; later,
    /// only one that descends from the current justified checkpoint is.
    func shouldUpdateJustifiedCheckpoint(_ newJustifiedCheckpoint: Checkpoint) -> Bool {
        if computeSlotsSinceEpochStart(currentSlot) < config.safeSlotsToUpdateJustified { return true }
        let justifiedSlot = computeStartSlotAtEpoch(justifiedCheckpoint.epoch)
        return getAncestor(newJustifiedCheckpoint.root, slot: justifiedSlot) == justifiedCheckpoint.root
    }

    /// Forgets every block that is not the finalized block or one of its descendants, with its
    /// state, and the checkpoint summaries that name such blocks or earlier epochs. Latest
    /// messages are kept (one per validator, so bounded); votes for forgotten blocks weigh
    /// nothing.
    mutating func pruneToFinalized() {
        guard let finalizedIndex = nodeIndices[finalizedCheckpoint.root] else {
            preconditionFailure("the finalized block \(finalizedCheckpoint.root) is not in the tree")
        }
        var newIndices = [Int?](repeating: nil, count: nodes.count)
        var kept: [BlockNode] = []
        kept.reserveCapacity(nodes.count - finalizedIndex)
        for (index, node) in nodes.enumerated() {
            let keep = index == finalizedIndex || node.parentIndex.map { newIndices[$0] != nil } ?? false
            guard keep else {
                nodeIndices[node.root] = nil
                blocks[node.root] = nil
                blockStates[node.root] = nil
                continue
            }
            var moved = node
            moved.parentIndex = index == finalizedIndex ? nil : newIndices[node.parentIndex!]
            newIndices[index] = kept.count
            nodeIndices[node.root] = kept.count
            kept.append(moved)
        }
        nodes = kept
        checkpointSummaries = checkpointSummaries.filter { checkpoint, _ in
            checkpoint.epoch >= finalizedCheckpoint.epoch && nodeIndices[checkpoint.root] != nil
        }
        precondition(nodes.first?.root == finalizedCheckpoint.root, "the finalized block is the new root")
        precondition(nodes.count == nodeIndices.count && nodes.count == blockStates.count)
    }
}
