import KeelChain

/// A gossip message as it travels, verified or not: what a peer sends and what ``Gossip``
/// carries once checked. The peer protocol and the simulated network both speak it.
public enum GossipMessage: Hashable, Sendable {
    case block(SignedBlock)
    case attestation(Attestation)
    case transaction(SignedTransaction)
    case proposerSlashing(ProposerSlashing)
    case attesterSlashing(AttesterSlashing)

    /// The message as a node core's event from `peer`.
    public func event(from peer: PeerID) -> NodeEvent {
        switch self {
        case let .block(block): .block(block, from: peer)
        case let .attestation(attestation): .attestation(attestation, from: peer)
        case let .transaction(transaction): .transaction(transaction, from: peer)
        case let .proposerSlashing(slashing): .proposerSlashing(slashing, from: peer)
        case let .attesterSlashing(slashing): .attesterSlashing(slashing, from: peer)
        }
    }

    /// The gossip message an event carries; nil for time, answers and peer events.
    public init?(_ event: NodeEvent) {
        switch event {
        case let .block(block, _): self = .block(block)
        case let .attestation(attestation, _): self = .attestation(attestation)
        case let .transaction(transaction, _): self = .transaction(transaction)
        case let .proposerSlashing(slashing, _): self = .proposerSlashing(slashing)
        case let .attesterSlashing(slashing, _): self = .attesterSlashing(slashing)
        case .tick, .slotStart, .attestationDeadline, .blocksByRoot, .blocksByRange, .peerConnected, .peerDisconnected: return nil
        }
    }

    /// The root of the message: what identifies it (its canonical encoding's root).
    public var root: Root {
        switch self {
        case let .block(block): block.hashTreeRoot
        case let .attestation(attestation): attestation.hashTreeRoot
        case let .transaction(transaction): transaction.hashTreeRoot
        case let .proposerSlashing(slashing): slashing.hashTreeRoot
        case let .attesterSlashing(slashing): slashing.hashTreeRoot
        }
    }
}
