import KeelChain
import KeelConsensus
import KeelCrypto

/// A byzantine peer that holds no validator key of its own and forges one message of every kind each
/// slot, from what it sees of the real chain (its own follower core's head): a transfer with a
/// garbage signature, a transfer signed by another account's key, a proposer slashing and an
/// attester slashing with garbage signatures, an attestation with a garbage signature that
/// would pair with the validator's real vote as a double vote, and the slot's block with a
/// garbage proposer signature. Honest cores must refuse all of it without harm.
public struct Forger: Sendable {
    let secretKeys: [SecretKey]
    let publicKeys: [PublicKey]
    var random: SplitMix64

    /// A forger that knows the devnet's keys (the secret ones to sign with the wrong key);
    /// `seed` fixes its garbage.
    public init(secretKeys: [SecretKey], publicKeys: [PublicKey], seed: UInt64) {
        precondition(secretKeys.count == publicKeys.count && !secretKeys.isEmpty, "one public key per secret key")
        self.secretKeys = secretKeys
        self.publicKeys = publicKeys
        random = SplitMix64(seed: seed)
    }

    /// A forger for a devnet of `validatorCount` validators.
    public init(validatorCount: Int, seed: UInt64) {
        let secretKeys = (0..<UInt64(validatorCount)).map { DevnetKeys.secretKey(validatorIndex: $0) }
        self.init(secretKeys: secretKeys, publicKeys: secretKeys.map(\.publicKey), seed: seed)
    }

    /// 64 bytes that are no one's signature.
    private mutating func garbageSignature() -> Signature {
        var bytes: [UInt8] = []
        for _ in 0..<8 { withUnsafeBytes(of: random.next()) { bytes.append(contentsOf: $0) } }
        return Signature(bytes: bytes)!
    }

    /// The forgeries of `slot`, made on `state` (the forger's head state advanced to `slot`)
    /// whose head block is `head`.
    public mutating func forgeries(slot: Slot, head: Root, state: ChainState) -> [GossipMessage] {
        var forged: [GossipMessage] = []
        let count = publicKeys.count
        let victim = Int(random.next() % UInt64(count))
        let other = (victim + 1) % count
        let sender = Address(publicKeys[victim])
        let nonce = state.accounts[sender]?.nonce ?? 0
        let transfer = Transaction(sender: sender, nonce: nonce, fee: Stake(1), kind: .transfer(recipient: sender, amount: Stake(1)))
        forged.append(.transaction(SignedTransaction(message: transfer, signature: garbageSignature())))
        let wrongKey = secretKeys[other].sign(state.signingRoot(of: transfer))
        forged.append(.transaction(SignedTransaction(message: transfer, signature: wrongKey)))

        let index = ValidatorIndex(UInt64(victim))
        let header1 = BlockHeader(slot: slot, proposerIndex: index, parentRoot: head, stateRoot: .zero, bodyRoot: .zero)
        var header2 = header1
        header2.stateRoot = SHA256.hash(head)
        forged.append(.proposerSlashing(ProposerSlashing(
            signedHeader1: SignedBlockHeader(message: header1, signature: garbageSignature()),
            signedHeader2: SignedBlockHeader(message: header2, signature: garbageSignature()))))

        let data = NodeCore<SimSigner>.attestationData(slot: slot, head: head, state: state)
        var conflicting = data
        conflicting.source.root = SHA256.hash(data.source.root)
        forged.append(.attesterSlashing(AttesterSlashing(
            attestation1: Attestation(validatorIndex: index, data: data, signature: garbageSignature()),
            attestation2: Attestation(validatorIndex: index, data: conflicting, signature: garbageSignature()))))
        // A committee member of this slot, so that the forged vote reaches the signature check.
        if let member = state.getBeaconCommittee(slot).first {
            forged.append(.attestation(Attestation(validatorIndex: member, data: conflicting, signature: garbageSignature())))
        }
        // The slot's block with a garbage signature (and a RANDAO reveal and state root no one
        // made): refused at the signature or before.
        if let proposer = try? state.getBeaconProposerIndex() {
            let block = Block(
                slot: slot, proposerIndex: proposer, parentRoot: head, stateRoot: SHA256.hash(head),
                body: BlockBody(randaoReveal: SHA256.hash(data.target.root)))
            forged.append(.block(SignedBlock(message: block, signature: garbageSignature())))
        }
        return forged
    }
}
