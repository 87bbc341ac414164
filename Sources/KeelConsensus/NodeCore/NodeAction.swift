import KeelChain

/// What a node core asks of its shell after an event. The shell carries each out in order:
/// sockets and SQLite in `keel node`, the simulated network and memory in `keel sim`.
public enum NodeAction: Sendable {
    /// Send to every peer but `except`.
    case broadcast(Gossip, except: PeerID?)
    /// Ask `peer` for blocks by root; answer with ``NodeEvent/blocksByRoot(_:requested:from:failed:)``.
    case requestBlocksByRoot([Root], from: PeerID)
    /// Ask `peer` for its canonical blocks of `count` slots from `startSlot`; answer with
    /// ``NodeEvent/blocksByRange(_:startSlot:count:from:failed:)``.
    case requestBlocksByRange(startSlot: Slot, count: UInt64, from: PeerID)
    /// A block was imported on `preState` (its parent's post-state): persist it (and prove it).
    /// `from` is nil for the node's own blocks.
    indirect case blockImported(ImportedBlock, preState: ChainState, from: PeerID?)
    /// Finality moved to `checkpoint`, whose block's post-state is `state`: persist the new
    /// anchor, and prune what lies below it.
    indirect case finalized(Checkpoint, state: ChainState, justified: Checkpoint)
    /// Lower `peer`'s score.
    case penalize(PeerID, PeerOffence)
    /// Something to log or count.
    case note(NodeNote)
    /// The head or finality moved: tell peers in handshakes.
    case statusChanged(ChainStatus)
    /// Something happened that event subscribers follow (`GET /events`).
    indirect case event(ChainEvent)
}
