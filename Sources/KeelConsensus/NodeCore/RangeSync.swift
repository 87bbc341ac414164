import KeelChain

/// A range sync in progress: the canonical blocks of one peer, batch by batch, from the slot
/// after this node's finalized block up to a target the peer holds.
struct RangeSync: Hashable, Sendable {
    /// The peer asked.
    let peer: PeerID
    /// The first slot of the next batch.
    var nextSlot: Slot
    /// The target: the peer's head (from its handshake) or an orphan it sent.
    let targetSlot: Slot
    let targetRoot: Root
    /// The slot at which the last batch was asked for; a sync with no answer for an epoch ends.
    var askedAt: Slot
}
