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
