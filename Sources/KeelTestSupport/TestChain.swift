import KeelChain
import KeelCrypto

/// A linear devnet chain for tests: devnet keys, RANDAO reveals, attestations signed by each
/// slot's committee, every block checked by the full, verifying state transition.
///
/// Not a simulator (no forks, no network, no fork choice): the chain tests use it to drive the
/// state transition through epochs; KeelSim drives the real thing.
public struct TestChain {
    public private(set) var state: ChainState
    /// The root of the newest block.
    public private(set) var headRoot: Root
    public let secretKeys: [SecretKey]
    private let randaoChains: [HashChain]
    private var revealsUsed: [UInt32]
    /// Attestations made but not yet included.
    public var attestationPool: [Attestation] = []

    public init(
        validatorCount: Int, preset: Preset = .devnet, randaoChainLength: UInt32 = 256, programs: [Address: [UInt8]] = [:],
        accounts: [Address: Stake] = [:]
    ) throws {
        var config = DevnetGenesis.config(
            validatorCount: validatorCount, preset: preset, genesisTimeMs: 0, randaoChainLength: randaoChainLength,
            programs: programs)
        config.accounts.merge(accounts) { devnet, _ in devnet }
        var genesis = try ChainState.genesis(config)
        headRoot = genesis.genesisBlockRoot()
        state = genesis
        secretKeys = (0..<UInt64(validatorCount)).map { DevnetKeys.secretKey(validatorIndex: $0) }
        randaoChains = (0..<UInt64(validatorCount)).map {
            DevnetGenesis.randaoChain(validatorIndex: $0, length: randaoChainLength)
        }
        revealsUsed = Array(repeating: 0, count: validatorCount)
    }

    /// Proposes, signs and applies the block of `slot` carrying the pooled attestations and
    /// `operations`; then the committee of `slot` attests (those `participates` lets).
    /// - Returns: the signed block.
    @discardableResult
    public mutating func advance(
        to slot: Slot, operations: BlockOperations = BlockOperations(),
        participates: (ValidatorIndex) -> Bool = { _ in true }
    ) throws -> SignedBlock {
        var preview = state
        try preview.processSlots(slot)
        let proposer = try preview.getBeaconProposerIndex()
        let position = Int(proposer.rawValue)
        let reveal = randaoChains[position].reveal(number: revealsUsed[position] + 1)!
        var all = operations
        all.attestations = attestationPool + operations.attestations
        let proposal = try state.produceBlock(slot: slot, randaoReveal: reveal, operations: all)
        let signed = SignedBlock(
            message: proposal.block, signature: secretKeys[position].sign(state.signingRoot(of: proposal.block)))
        var verified = state
        try verified.stateTransition(signed)
        precondition(verified.hashTreeRoot() == proposal.block.stateRoot, "producer and verifier disagree")
        state = verified
        revealsUsed[position] += 1
        headRoot = signed.message.hashTreeRoot
        let included = Set(signed.message.body.attestations)
        attestationPool.removeAll { included.contains($0) }
        attest(slot: slot, participates: participates)
        return signed
    }

    /// A transaction of `kind` from the devnet account of validator `sender` (which genesis
    /// funds), with that account's next nonce, signed.
    public func transaction(from sender: UInt64, _ kind: TransactionKind, fee: Stake = Stake(1_000)) -> SignedTransaction {
        let key = secretKeys[Int(sender)]
        let address = Address(key.publicKey)
        let transaction = Transaction(sender: address, nonce: state.accounts[address]?.nonce ?? 0, fee: fee, kind: kind)
        return SignedTransaction(message: transaction, signature: key.sign(state.signingRoot(of: transaction)))
    }

    /// The committee of `slot` votes for the current head, with the head state's justified
    /// checkpoint as source and the epoch's boundary block as target.
    public mutating func attest(slot: Slot, participates: (ValidatorIndex) -> Bool) {
        let epoch = state.computeEpochAtSlot(slot)
        let startSlot = state.computeStartSlotAtEpoch(epoch)
        let targetRoot = startSlot == slot ? headRoot : (try? state.getBlockRootAtSlot(startSlot)) ?? headRoot
        let data = AttestationData(
            slot: slot, beaconBlockRoot: headRoot, source: state.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: epoch, root: targetRoot))
        let signingRoot = state.signingRoot(of: data)
        for index in state.getBeaconCommittee(slot) where participates(index) {
            attestationPool.append(Attestation(
                validatorIndex: index, data: data, signature: secretKeys[Int(index.rawValue)].sign(signingRoot)))
        }
    }

    /// Advances slot by slot through the end of `epoch`.
    public mutating func advance(throughEpoch epoch: UInt64, participates: (ValidatorIndex) -> Bool = { _ in true }) throws {
        let last = (epoch + 1) * state.preset.slotsPerEpoch - 1
        while state.slot.rawValue < last {
            try advance(to: Slot(state.slot.rawValue + 1), participates: participates)
        }
    }
}
