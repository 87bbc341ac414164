import KeelConsensus

extension WireMessage {
    /// The wire form of a gossip message.
    init(_ message: GossipMessage) {
        switch message {
        case let .block(block): self = .block(block)
        case let .attestation(attestation): self = .attestation(attestation)
        case let .transaction(transaction): self = .transaction(transaction)
        case let .proposerSlashing(slashing): self = .proposerSlashing(slashing)
        case let .attesterSlashing(slashing): self = .attesterSlashing(slashing)
        }
    }

    /// The gossip this message carries; nil for the messages the network handles itself.
    var gossip: GossipMessage? {
        switch self {
        case let .block(block): .block(block)
        case let .attestation(attestation): .attestation(attestation)
        case let .proposerSlashing(slashing): .proposerSlashing(slashing)
        case let .attesterSlashing(slashing): .attesterSlashing(slashing)
        case let .transaction(transaction): .transaction(transaction)
        case .hello, .goodbye, .ping, .pong, .blocksByRangeRequest, .blocksByRootRequest, .blocksResponse: nil
        }
    }
}
