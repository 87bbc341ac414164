import KeelChain

/// An attestation whose signature and committee were checked against the validator registry of
/// its target checkpoint's state, by `ForkChoiceStore.onAttestation` (gossip) or by the state
/// transition of a block that carried it.
///
/// The attestation pool, the slashing detector and gossip relay accept only this type: an
/// attestation from outside reaches them only through a check.
public struct VerifiedAttestation: Hashable, Sendable {
    /// The checked attestation.
    public let attestation: Attestation

    /// Made only inside KeelConsensus, by the functions that checked `attestation`.
    init(checked attestation: Attestation) {
        self.attestation = attestation
    }
}
