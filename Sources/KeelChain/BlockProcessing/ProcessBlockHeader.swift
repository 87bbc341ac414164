extension ChainState {
    /// phase0 `process_block_header`.
    public mutating func processBlockHeader(_ block: Block, proposerIndex expected: ValidatorIndex) throws(HeaderInvalid) {
        guard block.slot == slot else { throw .slotMismatch(block: block.slot, state: slot) }
        guard block.slot > latestBlockHeader.slot else {
            throw .notNewerThanLatestHeader(block: block.slot, latest: latestBlockHeader.slot)
        }
        guard block.proposerIndex == expected else { throw .wrongProposer(block: block.proposerIndex, expected: expected) }
        let parentRoot = latestBlockHeader.hashTreeRoot
        guard block.parentRoot == parentRoot else { throw .parentRootMismatch(block: block.parentRoot, expected: parentRoot) }
        // The state root is filled in by the next `processSlot`, once this block's state is known.
        latestBlockHeader = BlockHeader(
            slot: block.slot, proposerIndex: block.proposerIndex, parentRoot: block.parentRoot,
            stateRoot: .zero, bodyRoot: block.body.hashTreeRoot)
        guard !validators[Int(block.proposerIndex.rawValue)].slashed else { throw .proposerSlashed(block.proposerIndex) }
    }
}
