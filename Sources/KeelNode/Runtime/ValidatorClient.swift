import KeelChain
import KeelConsensus
import KeelCrypto

/// The validators a node runs: their keys and RANDAO chains, and the rule that every signature
/// goes through the slashing-protection database first (DESIGN.md: "slashing protection check,
/// recorded durably before signing -> sign"). The node core's ``ValidatorSigner``.
///
/// The core asks for protection to be bypassed only for the validators its byzantine mode
/// names (`keel node --byzantine`), so that they can equivocate on purpose.
public struct ValidatorClient: ValidatorSigner, Sendable {
    /// The validators run, in increasing index order.
    public let indices: [ValidatorIndex]
    let secretKeys: [ValidatorIndex: SecretKey]
    var reveals: RandaoReveals
    let protection: SlashingProtectionDatabase

    /// Creates a client for devnet validators.
    ///
    /// - Parameters:
    ///   - indices: Devnet validator indices (keys from `DevnetKeys`).
    ///   - randaoChainLength: The genesis file's RANDAO chain length.
    ///   - protection: The open slashing-protection database.
    public init(indices: [ValidatorIndex], randaoChainLength: UInt32, protection: SlashingProtectionDatabase) {
        precondition(Set(indices).count == indices.count, "each validator is run once")
        let keys = Dictionary(uniqueKeysWithValues: indices.map { ($0, DevnetKeys.secretKey(validatorIndex: $0.rawValue)) })
        self.init(keys: keys, randaoChainLength: randaoChainLength, protection: protection)
    }

    /// Creates a client for validators given by their secret keys (a validator keys file).
    ///
    /// Each RANDAO chain is rebuilt from its key (`DevnetGenesis.randaoChain(secretKey:length:)`),
    /// so it opens the commitment registered at genesis only if genesis derived it the same way;
    /// `ValidatorKeysFile.validate(against:)` checks that before a node starts.
    ///
    /// - Parameters:
    ///   - keys: Each validator's index and secret key.
    ///   - randaoChainLength: The genesis file's RANDAO chain length.
    ///   - protection: The open slashing-protection database.
    public init(keys: [ValidatorIndex: SecretKey], randaoChainLength: UInt32, protection: SlashingProtectionDatabase) {
        precondition(randaoChainLength >= 1, "a RANDAO chain has at least one reveal")
        self.indices = keys.keys.sorted()
        self.protection = protection
        self.secretKeys = keys
        self.reveals = RandaoReveals(chains: keys.mapValues { DevnetGenesis.randaoChain(secretKey: $0, length: randaoChainLength) })
        precondition(indices.count == secretKeys.count, "one index per key")
    }

    /// Whether this client runs `validator` (at any slot).
    public func runs(_ validator: ValidatorIndex, at slot: Slot) -> Bool { secretKeys[validator] != nil }

    /// The number of validators run.
    public var validatorCount: Int { indices.count }

    /// The RANDAO reveal that opens `commitment`, or nil if the chain holds none.
    public mutating func randaoReveal(validator: ValidatorIndex, commitment: Hash32) -> Hash32? {
        reveals.reveal(validator: validator, commitment: commitment)
    }

    /// Signs `block` for its proposer if slashing protection allows it, recording it first
    /// (unless `bypassProtection`).
    ///
    /// - Returns: The signed block, or nil if refused (or the proposer is not run here).
    public func signBlock(_ block: Block, parentState: ChainState, bypassProtection: Bool) -> SignedBlock? {
        guard let key = secretKeys[block.proposerIndex] else { return nil }
        let signingRoot = parentState.signingRoot(of: block)
        if !bypassProtection {
            let decision = try? protection.checkAndRecordBlock(publicKey: key.publicKey, slot: block.slot, signingRoot: signingRoot)
            guard decision?.maySign == true else { return nil }
        }
        let signed = SignedBlock(message: block, signature: key.sign(signingRoot))
        precondition(signed.message.slot == block.slot, "the signed block is the block")
        return signed
    }

    /// Signs an attestation by `validator` if slashing protection allows it, recording it first
    /// (unless `bypassProtection`).
    ///
    /// - Returns: The attestation, or nil if refused (or the validator is not run here).
    public func signAttestation(
        _ data: AttestationData, validator: ValidatorIndex, state: ChainState, bypassProtection: Bool
    ) -> Attestation? {
        guard let key = secretKeys[validator] else { return nil }
        let signingRoot = state.signingRoot(of: data)
        if !bypassProtection {
            let decision = try? protection.checkAndRecordAttestation(
                publicKey: key.publicKey, source: data.source.epoch, target: data.target.epoch, signingRoot: signingRoot)
            guard decision?.maySign == true else { return nil }
        }
        return Attestation(validatorIndex: validator, data: data, signature: key.sign(signingRoot))
    }

    /// Signs a transaction from `validator`'s own account, with no protection (transactions
    /// are not slashable): the byzantine twin block's filler.
    public func signTransaction(_ transaction: Transaction, validator: ValidatorIndex, state: ChainState) -> SignedTransaction? {
        guard let key = secretKeys[validator] else { return nil }
        return SignedTransaction(message: transaction, signature: key.sign(state.signingRoot(of: transaction)))
    }

    /// The public key of a validator run here.
    public func publicKey(_ validator: ValidatorIndex) -> PublicKey? { secretKeys[validator]?.publicKey }
}
