import KeelChain

/// What a node core relays to its peers: only values that passed a check, so nothing forged
/// is ever gossiped on (DESIGN.md, trust boundary).
public enum Gossip: Hashable, Sendable {
    case block(ImportedBlock)
    case attestation(VerifiedAttestation)
    case transaction(VerifiedTransaction)
    case proposerSlashing(VerifiedProposerSlashing)
    case attesterSlashing(VerifiedAttesterSlashing)
}

extension Gossip {
    /// The message as sent.
    public var message: GossipMessage {
        switch self {
        case let .block(imported): .block(imported.block)
        case let .attestation(verified): .attestation(verified.attestation)
        case let .transaction(verified): .transaction(verified.signed)
        case let .proposerSlashing(verified): .proposerSlashing(verified.slashing)
        case let .attesterSlashing(verified): .attesterSlashing(verified.slashing)
        }
    }
}
