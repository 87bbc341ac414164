import KeelChain

/// A block the fork-choice store imported: its proposer's signature, every signature it
/// carries and its whole state transition were checked on its parent's state.
///
/// Gossip relay and the slashing detector take blocks only as this type.
public struct ImportedBlock: Hashable, Sendable {
    /// The block.
    public let block: SignedBlock
    /// Its root (`block.message.hashTreeRoot`), computed once on import.
    public let root: Root

    /// Made only by `ForkChoiceStore.onBlock`'s callers inside KeelConsensus, after it accepted
    /// the block.
    init(imported block: SignedBlock, root: Root) {
        precondition(block.message.hashTreeRoot == root, "an imported block's root is its own")
        self.block = block
        self.root = root
    }
}
