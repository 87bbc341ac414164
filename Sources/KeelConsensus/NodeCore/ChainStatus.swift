import KeelChain

/// Where a node's chain stands: its head and its finalized checkpoint.
public struct ChainStatus: Hashable, Sendable {
    /// The root of the head block the node's fork choice picked.
    public var headRoot: Root
    /// The head block's slot.
    public var headSlot: Slot
    /// The latest finalized checkpoint.
    public var finalized: Checkpoint

    /// Creates a status.
    public init(headRoot: Root, headSlot: Slot, finalized: Checkpoint) {
        self.headRoot = headRoot
        self.headSlot = headSlot
        self.finalized = finalized
    }
}
