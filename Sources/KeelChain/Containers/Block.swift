import KeelCrypto

/// The operations a block carries (phase0 `BeaconBlockBody`, with execution transactions).
public struct BlockBody: Hashable, Sendable {
    /// The next preimage of the proposer's RANDAO hash chain.
    public var randaoReveal: Root
    public var proposerSlashings: [ProposerSlashing]
    public var attesterSlashings: [AttesterSlashing]
    public var attestations: [Attestation]
    public var transactions: [SignedTransaction]

    public init(
        randaoReveal: Root, proposerSlashings: [ProposerSlashing] = [], attesterSlashings: [AttesterSlashing] = [],
        attestations: [Attestation] = [], transactions: [SignedTransaction] = []
    ) {
        self.randaoReveal = randaoReveal
        self.proposerSlashings = proposerSlashings
        self.attesterSlashings = attesterSlashings
        self.attestations = attestations
        self.transactions = transactions
    }
}

/// A block (phase0 `BeaconBlock`).
public struct Block: Hashable, Sendable {
    public var slot: Slot
    public var proposerIndex: ValidatorIndex
    public var parentRoot: Root
    /// The root of the state after this block (the state transition checks it).
    public var stateRoot: Root
    public var body: BlockBody

    public init(slot: Slot, proposerIndex: ValidatorIndex, parentRoot: Root, stateRoot: Root, body: BlockBody) {
        self.slot = slot
        self.proposerIndex = proposerIndex
        self.parentRoot = parentRoot
        self.stateRoot = stateRoot
        self.body = body
    }
}

/// A block and its proposer's signature (phase0 `SignedBeaconBlock`).
public struct SignedBlock: Hashable, Sendable {
    public var message: Block
    public var signature: Signature

    public init(message: Block, signature: Signature) {
        self.message = message
        self.signature = signature
    }
}
