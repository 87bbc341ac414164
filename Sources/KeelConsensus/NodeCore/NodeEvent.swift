import KeelChain

/// What reaches a node core: time, gossip, answers to its requests, and peers coming and going.
///
/// The shell (`keel node`) turns sockets and the wall clock into these; the simulator turns its
/// event queue into them. Gossip and answers are unverified: the core checks them.
public indirect enum NodeEvent: Sendable {
    /// Time moved to `slot`, with no duty to do (before a peer's message is handled).
    case tick(Slot)
    /// `slot` begins: retries, sync, and the slot's proposal.
    case slotStart(Slot)
    /// A third into `slot`: the slot's committee attests.
    case attestationDeadline(Slot)
    /// Gossip from a peer.
    case block(SignedBlock, from: PeerID)
    case attestation(Attestation, from: PeerID)
    case transaction(SignedTransaction, from: PeerID)
    case proposerSlashing(ProposerSlashing, from: PeerID)
    case attesterSlashing(AttesterSlashing, from: PeerID)
    /// The answer to ``NodeAction/requestBlocksByRoot(_:from:)``; `failed` when the request
    /// failed or timed out (then `blocks` is empty).
    case blocksByRoot([SignedBlock], requested: [Root], from: PeerID, failed: Bool)
    /// The answer to ``NodeAction/requestBlocksByRange(startSlot:count:from:)``.
    case blocksByRange([SignedBlock], startSlot: Slot, count: UInt64, from: PeerID, failed: Bool)
    /// A peer finished its handshake and announced its chain.
    case peerConnected(PeerID, ChainStatus)
    /// A peer is gone.
    case peerDisconnected(PeerID)
}
