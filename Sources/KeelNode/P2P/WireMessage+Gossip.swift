import KeelConsensus

extension WireMessage {
    /// The wire form of what a node core relays: verified values only.
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
