import KeelChain
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
    /// Two blocks of one slot on one parent are made to differ by their attestations (not by a
    /// transaction: `produceBlock` drops transfers, whose `processTransaction` returns nil, after
    /// applying them, so such a block fails its own state root).
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
