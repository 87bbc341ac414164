/// Fixed values of the protocol (consensus-specs phase0 "Constants").
public enum Constants {
    public static let genesisSlot: Slot = 0
    public static let genesisEpoch: Epoch = 0
    public static let farFutureEpoch = Epoch(UInt64.max)
    /// Bits of `justificationBits` (phase0 `JUSTIFICATION_BITS_LENGTH`).
    public static let justificationBitsLength = 4
}

/// Domains that separate what a signature is over; every signing root also binds the chain's
/// genesis root, so a signature is valid on one chain and one kind of message only.
public enum DomainType: UInt8, Sendable, CaseIterable {
    case blockProposal = 0
    case attestation = 1
    case transaction = 2
    case exit = 3
    case proverClaim = 4
    case deposit = 5
}
