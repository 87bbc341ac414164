import KeelCrypto

/// A registry entry (phase0 `Validator`, with its balance and RANDAO commitment kept inline).
public struct Validator: Hashable, Sendable {
    public var publicKey: PublicKey
    /// The account that deposited; exits and withdrawals go through it.
    public var withdrawalAddress: Address
    public var balance: Stake
    public var effectiveStake: Stake
    public var slashed: Bool
    public var activationEligibilityEpoch: Epoch
    public var activationEpoch: Epoch
    public var exitEpoch: Epoch
    public var withdrawableEpoch: Epoch
    /// The last revealed element of the validator's RANDAO hash chain (at registration, its
    /// tip). The next reveal must hash to it.
    public var randaoCommitment: Root

    public init(
        publicKey: PublicKey, withdrawalAddress: Address, balance: Stake, effectiveStake: Stake, slashed: Bool = false,
        activationEligibilityEpoch: Epoch, activationEpoch: Epoch, exitEpoch: Epoch = Constants.farFutureEpoch,
        withdrawableEpoch: Epoch = Constants.farFutureEpoch, randaoCommitment: Root
    ) {
        self.publicKey = publicKey
        self.withdrawalAddress = withdrawalAddress
        self.balance = balance
        self.effectiveStake = effectiveStake
        self.slashed = slashed
        self.activationEligibilityEpoch = activationEligibilityEpoch
        self.activationEpoch = activationEpoch
        self.exitEpoch = exitEpoch
        self.withdrawableEpoch = withdrawableEpoch
        self.randaoCommitment = randaoCommitment
    }
}

/// An account: a balance and the nonce of its next transaction.
public struct Account: Hashable, Sendable {
    public var balance: Stake
    public var nonce: UInt64

    public init(balance: Stake, nonce: UInt64 = 0) {
        self.balance = balance
        self.nonce = nonce
    }
}

/// A deployed program: its `.kvm` code and its storage cells `m[0 ..< S)`.
public struct ProgramAccount: Hashable, Sendable {
    public var code: [UInt8]
    public var storage: [UInt32]

    public init(code: [UInt8], storage: [UInt32]) {
        self.code = code
        self.storage = storage
    }
}

/// An attestation included in a block, kept until epoch processing (phase0 `PendingAttestation`).
public struct PendingAttestation: Hashable, Sendable {
    public var validatorIndex: ValidatorIndex
    public var data: AttestationData
    public var inclusionDelay: Slot
    public var proposerIndex: ValidatorIndex

    public init(validatorIndex: ValidatorIndex, data: AttestationData, inclusionDelay: Slot, proposerIndex: ValidatorIndex) {
        self.validatorIndex = validatorIndex
        self.data = data
        self.inclusionDelay = inclusionDelay
        self.proposerIndex = proposerIndex
    }
}
