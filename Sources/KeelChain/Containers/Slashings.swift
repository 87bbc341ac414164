/// Evidence that a proposer signed two different headers for one slot (phase0 `ProposerSlashing`).
public struct ProposerSlashing: Hashable, Sendable {
    public var signedHeader1: SignedBlockHeader
    public var signedHeader2: SignedBlockHeader

    public init(signedHeader1: SignedBlockHeader, signedHeader2: SignedBlockHeader) {
        self.signedHeader1 = signedHeader1
        self.signedHeader2 = signedHeader2
    }
}

/// Evidence that a validator signed a double vote or a surround vote (phase0 `AttesterSlashing`,
/// with single-validator attestations: both must carry the same validator index).
public struct AttesterSlashing: Hashable, Sendable {
    public var attestation1: Attestation
    public var attestation2: Attestation

    public init(attestation1: Attestation, attestation2: Attestation) {
        self.attestation1 = attestation1
        self.attestation2 = attestation2
    }
}
