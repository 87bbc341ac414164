import KeelChain

/// Serves peers' block requests from a ``Node``'s fork-choice store and chain database.
public struct StoreBlockProvider: BlockProvider {
    /// The node whose blocks are served; set once the node exists.
    let node: NodeReference

    /// The canonical blocks of `startSlot ..< startSlot + count`, in slot order.
    public func blocksByRange(startSlot: Slot, count: UInt64) async -> [SignedBlock] {
        guard let node = node.node else { return [] }
        return await node.canonicalBlocks(startSlot: startSlot, count: count)
    }

    /// The blocks held among `roots`.
    public func blocksByRoot(_ roots: [Root]) async -> [SignedBlock] {
        guard let node = node.node else { return [] }
        return await node.blocks(roots: roots)
    }
}

/// A late-bound, weak link from the network's provider back to its node (the node owns the
/// network, so a strong link would be a cycle).
final class NodeReference: @unchecked Sendable {
    // Written once, before the network starts, and only read afterwards.
    weak var node: Node?
}
