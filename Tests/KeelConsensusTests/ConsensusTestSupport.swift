import KeelChain
import KeelConsensus
import KeelCrypto
import KeelTestSupport

/// A devnet for building forks: the same genesis as `TestChain` (devnet keys, 256-long RANDAO
/// chains), and builders of signed blocks and attestations on any state, so two branches can
/// grow from one parent.
struct Devnet {
    let config: GenesisConfig
    let genesis: ChainState
    let genesisBlockRoot: Root
    let secretKeys: [SecretKey]
    private let randaoChains: [HashChain]

    init(validatorCount: Int = 16, preset: Preset = .devnet, randaoChainLength: UInt32 = 256) throws {
        config = DevnetGenesis.config(
            validatorCount: validatorCount, preset: preset, genesisTimeMs: 0, randaoChainLength: randaoChainLength)
        var state = try ChainState.genesis(config)
        genesisBlockRoot = state.genesisBlockRoot()
        genesis = state
        secretKeys = (0..<UInt64(validatorCount)).map { DevnetKeys.secretKey(validatorIndex: $0) }
        randaoChains = (0..<UInt64(validatorCount)).map {
            DevnetGenesis.randaoChain(validatorIndex: $0, length: randaoChainLength)
        }
    }

    /// The next RANDAO reveal of `validator` in `state` (the preimage of its commitment).
    func reveal(_ validator: ValidatorIndex, in state: ChainState) -> Root {
        let chain = randaoChains[Int(validator.rawValue)]
        let commitment = state.validators[Int(validator.rawValue)].randaoCommitment
        for number in 1...chain.length {
            let candidate = chain.reveal(number: number)!
            if HashChain.verify(reveal: candidate, against: commitment) { return candidate }
        }
        preconditionFailure("validator \(validator) has no reveal left")
    }

    /// The block of `slot` on `parent` (a block post-state), signed by its proposer.
    ///
    /// Two blocks of one slot on one parent are made to differ by their attestations.
    func makeBlock(
        on parent: ChainState, slot: Slot, attestations: [Attestation] = [], operations: BlockOperations = BlockOperations()
    ) throws -> (block: SignedBlock, state: ChainState) {
        var preview = parent
        try preview.processSlots(slot)
        let proposer = try preview.getBeaconProposerIndex()
        var all = operations
        all.attestations += attestations
        let proposal = try parent.produceBlock(slot: slot, randaoReveal: reveal(proposer, in: preview), operations: all)
        let signature = secretKeys[Int(proposer.rawValue)].sign(parent.signingRoot(of: proposal.block))
        return (SignedBlock(message: proposal.block, signature: signature), proposal.postState)
    }

    /// Attestations of the committee of `slot` (those `participates` lets) for `headRoot`, whose
    /// post-state is `headState`: source the justified checkpoint at `slot`, target the epoch's
    /// boundary block on the head's chain.
    func attest(
        headRoot: Root, headState: ChainState, slot: Slot, participates: (ValidatorIndex) -> Bool = { _ in true }
    ) throws -> [Attestation] {
        var view = headState
        if view.slot < slot { try view.processSlots(slot) }
        let data = attestationData(headRoot: headRoot, view: view, slot: slot)
        return view.getBeaconCommittee(slot).filter(participates).map { sign(data, by: $0, state: view) }
    }

    /// The attestation data of `slot` for `headRoot`, read from `view` (the head's state at or
    /// advanced to `slot`).
    func attestationData(headRoot: Root, view: ChainState, slot: Slot) -> AttestationData {
        let epoch = view.computeEpochAtSlot(slot)
        let startSlot = view.computeStartSlotAtEpoch(epoch)
        // The head is the view's latest block: it is the epoch's boundary block unless it is later
        // than the epoch's start, and then the boundary block is its ancestor at the start.
        let targetRoot = view.latestBlockHeader.slot <= startSlot ? headRoot : try! view.getBlockRootAtSlot(startSlot)
        return AttestationData(
            slot: slot, beaconBlockRoot: headRoot, source: view.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: epoch, root: targetRoot))
    }

    /// `data` signed by `validator`.
    func sign(_ data: AttestationData, by validator: ValidatorIndex, state: ChainState? = nil) -> Attestation {
        let signingRoot = (state ?? genesis).signingRoot(of: data)
        return Attestation(
            validatorIndex: validator, data: data, signature: secretKeys[Int(validator.rawValue)].sign(signingRoot))
    }
}

/// A node core's signer for tests: devnet keys of the validators it runs, their RANDAO chains
/// and in-memory slashing protection.
struct DevnetSigner: ValidatorSigner {
    let keys: [ValidatorIndex: SecretKey]
    var reveals: RandaoReveals
    var protection: [ValidatorIndex: SlashingProtectionHistory]

    init(indices: [ValidatorIndex], randaoChainLength: UInt32 = 256) {
        keys = Dictionary(uniqueKeysWithValues: indices.map { ($0, DevnetKeys.secretKey(validatorIndex: $0.rawValue)) })
        reveals = RandaoReveals(chains: Dictionary(uniqueKeysWithValues: indices.map {
            ($0, DevnetGenesis.randaoChain(validatorIndex: $0.rawValue, length: randaoChainLength))
        }))
        protection = Dictionary(uniqueKeysWithValues: indices.map { ($0, SlashingProtectionHistory()) })
    }

    /// A signer running no validator: a follower.
    static let none = DevnetSigner(indices: [])

    var validatorCount: Int { keys.count }
    func runs(_ validator: ValidatorIndex, at slot: Slot) -> Bool { keys[validator] != nil }

    mutating func randaoReveal(validator: ValidatorIndex, commitment: Hash32) -> Hash32? {
        reveals.reveal(validator: validator, commitment: commitment)
    }

    mutating func signBlock(_ block: Block, parentState: ChainState, bypassProtection: Bool) -> SignedBlock? {
        guard let key = keys[block.proposerIndex] else { return nil }
        let root = parentState.signingRoot(of: block)
        if !bypassProtection, !protection[block.proposerIndex]!.recordBlock(slot: block.slot, signingRoot: root).maySign { return nil }
        return SignedBlock(message: block, signature: key.sign(root))
    }

    mutating func signAttestation(
        _ data: AttestationData, validator: ValidatorIndex, state: ChainState, bypassProtection: Bool
    ) -> Attestation? {
        guard let key = keys[validator] else { return nil }
        let root = state.signingRoot(of: data)
        if !bypassProtection,
            !protection[validator]!.recordAttestation(source: data.source.epoch, target: data.target.epoch, signingRoot: root).maySign
        {
            return nil
        }
        return Attestation(validatorIndex: validator, data: data, signature: key.sign(root))
    }

    func signTransaction(_ transaction: Transaction, validator: ValidatorIndex, state: ChainState) -> SignedTransaction? {
        keys[validator].map { SignedTransaction(message: transaction, signature: $0.sign(state.signingRoot(of: transaction))) }
    }

    func publicKey(_ validator: ValidatorIndex) -> PublicKey? { keys[validator]?.publicKey }
}
