import KeelChain
import KeelConsensus
import KeelCrypto

/// The validators a node runs: their keys and RANDAO chains, and the rule that every signature
/// goes through the slashing-protection database first (DESIGN.md: "slashing protection check,
/// recorded durably before signing -> sign").
///
/// In byzantine mode protection is bypassed, so that the node can equivocate on purpose.
public struct ValidatorClient: Sendable {
    /// The validators run, in increasing index order.
    public let indices: [ValidatorIndex]
    /// Whether protection is bypassed.
    public let byzantine: Bool
    let secretKeys: [ValidatorIndex: SecretKey]
    let randaoChains: [ValidatorIndex: HashChain]
    let protection: SlashingProtectionDatabase
    /// The reveal number last used by each validator: where the next search starts.
    var revealHints: [ValidatorIndex: UInt32] = [:]

    /// Creates a client for devnet validators.
    ///
    /// - Parameters:
    ///   - indices: Devnet validator indices (keys from `DevnetKeys`).
    ///   - randaoChainLength: The genesis file's RANDAO chain length.
    ///   - protection: The open slashing-protection database.
    ///   - byzantine: Whether to bypass protection.
    public init(indices: [ValidatorIndex], randaoChainLength: UInt32, protection: SlashingProtectionDatabase, byzantine: Bool) {
        precondition(Set(indices).count == indices.count, "each validator is run once")
        let keys = Dictionary(uniqueKeysWithValues: indices.map { ($0, DevnetKeys.secretKey(validatorIndex: $0.rawValue)) })
        self.init(keys: keys, randaoChainLength: randaoChainLength, protection: protection, byzantine: byzantine)
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
    ///   - byzantine: Whether to bypass protection.
    public init(
        keys: [ValidatorIndex: SecretKey], randaoChainLength: UInt32, protection: SlashingProtectionDatabase, byzantine: Bool
    ) {
        precondition(randaoChainLength >= 1, "a RANDAO chain has at least one reveal")
        self.indices = keys.keys.sorted()
        self.byzantine = byzantine
        self.protection = protection
        self.secretKeys = keys
        self.randaoChains = keys.mapValues { DevnetGenesis.randaoChain(secretKey: $0, length: randaoChainLength) }
        precondition(randaoChains.count == secretKeys.count, "one RANDAO chain per key")
    }

    /// Whether this client runs `validator`.
    public func runs(_ validator: ValidatorIndex) -> Bool { secretKeys[validator] != nil }

    /// The RANDAO reveal that opens `commitment` (the validator's current commitment in the
    /// state the block builds on), or nil if the chain holds none.
    public mutating func randaoReveal(validator: ValidatorIndex, commitment: Hash32) -> Hash32? {
        guard let chain = randaoChains[validator] else { return nil }
        let hint = revealHints[validator] ?? 0
        // Usually the next reveal; after a fork or restart, search the whole chain.
        let first = min(hint + 1, chain.length)
        for number in Array(first...chain.length) + Array((1..<first).reversed()) {
            guard let reveal = chain.reveal(number: number) else { continue }
            if HashChain.verify(reveal: reveal, against: commitment) {
                revealHints[validator] = number
                return reveal
            }
        }
        return nil
    }

    /// Signs `block` for its proposer if slashing protection allows it, recording it first.
    ///
    /// - Parameters:
    ///   - block: The block, built on `parentState`.
    ///   - parentState: The state the block builds on (for the signing domain).
    /// - Returns: The signed block, or nil if refused (or the proposer is not run here).
    public func signBlock(_ block: Block, parentState: ChainState) -> SignedBlock? {
        guard let key = secretKeys[block.proposerIndex] else { return nil }
        let signingRoot = parentState.signingRoot(of: block)
        if !byzantine {
            let decision = try? protection.checkAndRecordBlock(publicKey: key.publicKey, slot: block.slot, signingRoot: signingRoot)
            guard decision?.maySign == true else { return nil }
        }
        let signed = SignedBlock(message: block, signature: key.sign(signingRoot))
        precondition(signed.message.slot == block.slot, "the signed block is the block")
        return signed
    }

    /// Signs an attestation by `validator` if slashing protection allows it, recording it first.
    ///
    /// - Returns: The attestation, or nil if refused (or the validator is not run here).
    public func signAttestation(_ data: AttestationData, validator: ValidatorIndex, state: ChainState) -> Attestation? {
        guard let key = secretKeys[validator] else { return nil }
        let signingRoot = state.signingRoot(of: data)
        if !byzantine {
            let decision = try? protection.checkAndRecordAttestation(
                publicKey: key.publicKey, source: data.source.epoch, target: data.target.epoch, signingRoot: signingRoot)
            guard decision?.maySign == true else { return nil }
        }
        return Attestation(validatorIndex: validator, data: data, signature: key.sign(signingRoot))
    }

    /// Signs a transaction from `validator`'s own account, with no protection (transactions
    /// are not slashable): the byzantine twin block's filler.
    func signTransaction(_ transaction: Transaction, validator: ValidatorIndex, state: ChainState) -> SignedTransaction? {
        guard let key = secretKeys[validator] else { return nil }
        return SignedTransaction(message: transaction, signature: key.sign(state.signingRoot(of: transaction)))
    }

    /// The public key of a validator run here.
    func publicKey(_ validator: ValidatorIndex) -> PublicKey? { secretKeys[validator]?.publicKey }
}
