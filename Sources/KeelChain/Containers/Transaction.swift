import KeelCrypto

/// What a transaction does.
public enum TransactionKind: Hashable, Sendable {
    /// Moves `amount` from the sender to `recipient`.
    case transfer(recipient: Address, amount: Stake)
    /// Deploys a `.kvm` program at `Address.program(deployer: sender, nonce: nonce)` with its
    /// storage all zero.
    case deploy(code: [UInt8])
    /// Runs `program` with `input` as its input cells. The fee must cover `stepLimit` steps.
    case call(program: Address, input: [UInt32], stepLimit: UInt64)
    /// Locks `amount` of the sender's balance as stake of a new validator with key
    /// `validatorKey` and RANDAO hash-chain tip `randaoCommitment`; the sender is its
    /// withdrawal address. `proofOfPossession` is the validator key's signature over the
    /// deposit (so nobody registers a key they do not hold).
    case deposit(validatorKey: PublicKey, amount: Stake, randaoCommitment: Root, proofOfPossession: Signature)
    /// Starts the exit of `validator`, whose withdrawal address must be the sender.
    case exit(validator: ValidatorIndex)
}

/// A transaction from an account: signed by the account's key (its address).
public struct Transaction: Hashable, Sendable {
    public var sender: Address
    public var nonce: UInt64
    /// The most the sender pays; a call pays `stepLimit · feePerStep` of it up front.
    public var fee: Stake
    public var kind: TransactionKind

    public init(sender: Address, nonce: UInt64, fee: Stake, kind: TransactionKind) {
        self.sender = sender
        self.nonce = nonce
        self.fee = fee
        self.kind = kind
    }
}

/// A transaction and its sender's signature.
public struct SignedTransaction: Hashable, Sendable {
    public var message: Transaction
    public var signature: Signature

    public init(message: Transaction, signature: Signature) {
        self.message = message
        self.signature = signature
    }
}
