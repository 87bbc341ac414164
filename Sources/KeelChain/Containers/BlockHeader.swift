import KeelCrypto

/// A block without its body (phase0 `BeaconBlockHeader`): what proposer slashings compare and
/// what light nodes follow.
public struct BlockHeader: Hashable, Sendable {
    public var slot: Slot
    public var proposerIndex: ValidatorIndex
    public var parentRoot: Root
    public var stateRoot: Root
    public var bodyRoot: Root

    public init(slot: Slot, proposerIndex: ValidatorIndex, parentRoot: Root, stateRoot: Root, bodyRoot: Root) {
        self.slot = slot
        self.proposerIndex = proposerIndex
        self.parentRoot = parentRoot
        self.stateRoot = stateRoot
        self.bodyRoot = bodyRoot
    }
}

/// A header and its proposer's signature (phase0 `SignedBeaconBlockHeader`).
public struct SignedBlockHeader: Hashable, Sendable {
    public var message: BlockHeader
    public var signature: Signature

    public init(message: BlockHeader, signature: Signature) {
        self.message = message
        self.signature = signature
    }
}
