import KeelChain
import KeelConsensus

/// What travels between simulated nodes (and what a ``Forger`` forges): the gossip kinds of
/// the peer protocol.
public enum SimMessage: Hashable, Sendable {
    case block(SignedBlock)
    case attestation(Attestation)
    case transaction(SignedTransaction)
    case proposerSlashing(ProposerSlashing)
    case attesterSlashing(AttesterSlashing)

    /// The message as it reaches a core from `peer`.
    public func event(from peer: PeerID) -> NodeEvent {
        switch self {
        case let .block(block): .block(block, from: peer)
        case let .attestation(attestation): .attestation(attestation, from: peer)
        case let .transaction(transaction): .transaction(transaction, from: peer)
        case let .proposerSlashing(slashing): .proposerSlashing(slashing, from: peer)
        case let .attesterSlashing(slashing): .attesterSlashing(slashing, from: peer)
        }
    }

    /// The gossip message an event carries; nil for answers and peer events.
    init?(_ event: NodeEvent) {
        switch event {
        case let .block(block, _): self = .block(block)
        case let .attestation(attestation, _): self = .attestation(attestation)
        case let .transaction(transaction, _): self = .transaction(transaction)
        case let .proposerSlashing(slashing, _): self = .proposerSlashing(slashing)
        case let .attesterSlashing(slashing, _): self = .attesterSlashing(slashing)
        case .tick, .slotStart, .attestationDeadline, .blocksByRoot, .blocksByRange, .peerConnected, .peerDisconnected: return nil
        }
    }

    /// The gossip as sent.
    init(_ gossip: Gossip) {
        switch gossip {
        case let .block(imported): self = .block(imported.block)
        case let .attestation(verified): self = .attestation(verified.attestation)
        case let .transaction(verified): self = .transaction(verified.signed)
        case let .proposerSlashing(verified): self = .proposerSlashing(verified.slashing)
        case let .attesterSlashing(verified): self = .attesterSlashing(verified.slashing)
        }
    }
}

/// What the event loop runs.
enum SimEvent: Sendable {
    /// A slot begins: every node ticks, proposers propose.
    case slotStart(Slot)
    /// A third into the slot: the slot's committee attests; the forger forges.
    case attestationDeadline(Slot)
    /// An event reaches a node's core: gossip, or an answer to its request.
    case deliver(node: Int, NodeEvent)
}
