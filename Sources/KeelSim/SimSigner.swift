import KeelChain
import KeelConsensus
import KeelCrypto

/// The validators one simulated node runs: devnet keys, RANDAO chains and in-memory slashing
/// protection histories (the node's SQLite database, without the disk). Offline validators
/// (``SimConfig/isOffline(_:epoch:)``) act for nobody while offline.
struct SimSigner: ValidatorSigner {
    let node: Int
    let config: SimConfig
    let keys: SimKeys
    var reveals: RandaoReveals
    var protection: [ValidatorIndex: SlashingProtectionHistory]

    init(node: Int, config: SimConfig, keys: SimKeys, chains: [ValidatorIndex: HashChain]) {
        self.node = node
        self.config = config
        self.keys = keys
        self.reveals = RandaoReveals(chains: chains)
        self.protection = chains.mapValues { _ in SlashingProtectionHistory() }
        precondition(chains.keys.allSatisfy { config.node(of: Int($0.rawValue)) == node }, "a node runs its own validators")
    }

    var validatorCount: Int { protection.count }

    func runs(_ validator: ValidatorIndex, at slot: Slot) -> Bool {
        let index = Int(validator.rawValue)
        guard index < config.validatorCount, config.node(of: index) == node else { return false }
        return !config.isOffline(index, epoch: slot.rawValue / config.preset.slotsPerEpoch)
    }

    mutating func randaoReveal(validator: ValidatorIndex, commitment: Hash32) -> Hash32? {
        reveals.reveal(validator: validator, commitment: commitment)
    }

    mutating func signBlock(_ block: Block, parentState: ChainState, bypassProtection: Bool) -> SignedBlock? {
        guard runs(block.proposerIndex, at: block.slot) else { return nil }
        let signingRoot = parentState.signingRoot(of: block)
        if !bypassProtection {
            guard protection[block.proposerIndex]!.recordBlock(slot: block.slot, signingRoot: signingRoot).maySign else { return nil }
        }
        return SignedBlock(message: block, signature: keys.sign(signingRoot, validator: block.proposerIndex))
    }

    mutating func signAttestation(
        _ data: AttestationData, validator: ValidatorIndex, state: ChainState, bypassProtection: Bool
    ) -> Attestation? {
        guard runs(validator, at: data.slot) else { return nil }
        let signingRoot = state.signingRoot(of: data)
        if !bypassProtection {
            let decision = protection[validator]!.recordAttestation(
                source: data.source.epoch, target: data.target.epoch, signingRoot: signingRoot)
            guard decision.maySign else { return nil }
        }
        return Attestation(validatorIndex: validator, data: data, signature: keys.sign(signingRoot, validator: validator))
    }

    func signTransaction(_ transaction: Transaction, validator: ValidatorIndex, state: ChainState) -> SignedTransaction? {
        guard config.node(of: Int(validator.rawValue)) == node else { return nil }
        return SignedTransaction(message: transaction, signature: keys.sign(state.signingRoot(of: transaction), validator: validator))
    }

    func publicKey(_ validator: ValidatorIndex) -> PublicKey? {
        config.node(of: Int(validator.rawValue)) == node ? keys.publicKeys[Int(validator.rawValue)] : nil
    }
}

/// Every devnet validator's keys, shared by the simulated nodes (each signs only for its own).
/// With signatures skipped, signing makes an all-zero signature and costs nothing.
final class SimKeys: Sendable {
    let secretKeys: [SecretKey]
    let publicKeys: [PublicKey]
    let skipSignatures: Bool

    init(validatorCount: Int, skipSignatures: Bool) {
        secretKeys = (0..<UInt64(validatorCount)).map { DevnetKeys.secretKey(validatorIndex: $0) }
        publicKeys = secretKeys.map(\.publicKey)
        self.skipSignatures = skipSignatures
    }

    static let zeroSignature = Signature(bytes: [UInt8](repeating: 0, count: 64))!

    func sign(_ root: Root, validator: ValidatorIndex) -> Signature {
        skipSignatures ? Self.zeroSignature : secretKeys[Int(validator.rawValue)].sign(root)
    }
}
