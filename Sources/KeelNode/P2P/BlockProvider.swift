import KeelChain
import KeelCrypto

/// The node's side of block sync: the network asks it for blocks to answer peers' requests.
///
/// KeelNode's storage implements it; tests use an in-memory double. Implementations may take
/// their time (they run off the network's event loop) but must return at most `count` blocks.
public protocol BlockProvider: Sendable {
    /// The canonical blocks of slots `startSlot ..< startSlot + count`, in slot order (empty
    /// slots are skipped).
    ///
    /// - Parameters:
    ///   - startSlot: The first slot.
    ///   - count: The number of slots, at most ``WireLimits/responseBlockCountMax``.
    /// - Returns: The blocks held, in slot order.
    func blocksByRange(startSlot: Slot, count: UInt64) async -> [SignedBlock]

    /// The blocks with the given roots that this node holds, in any order.
    ///
    /// - Parameter roots: At most ``WireLimits/requestRootCountMax`` roots.
    /// - Returns: The blocks found.
    func blocksByRoot(_ roots: [Root]) async -> [SignedBlock]
}
