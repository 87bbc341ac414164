import BenchSupport
import KeelChain
import KeelCrypto

/// A linear devnet chain, as KeelTestSupport's `TestChain` drives one (devnet keys, RANDAO
/// reveals, the committee of each slot attesting to the head, its votes included in the next
/// block), with two differences a benchmark needs:
///
/// - signing can be switched off (zero signatures, blocks applied with `.skip`), so that a
///   10,000-validator state with full participation is built in seconds; the timed code then
///   never sees those signatures, it only processes epochs;
/// - a block can be made without being applied, so the block-import benchmark can time the
///   import of one block many times on copies of the state before it.
///
/// Keys and hash chains are made on demand: only proposers need a chain, only signers a key.
struct DevnetDriver {
    private(set) var state: ChainState
    /// The root of the newest block.
    private(set) var headRoot: Root
    /// Attestations made but not yet included.
    var attestationPool: [Attestation] = []
    let signs: Bool
    let randaoChainLength: UInt32
    private var revealsUsed: [Int: UInt32] = [:]
    private var chains: [Int: HashChain] = [:]
    private var keys: [Int: SecretKey] = [:]

    static let zeroSignature = Signature(bytes: [UInt8](repeating: 0, count: 64))!

    init(validatorCount: Int, signs: Bool, randaoChainLength: UInt32 = 16) throws {
        let config = DevnetGenesis.config(
            validatorCount: validatorCount, genesisTimeMs: 0, randaoChainLength: randaoChainLength)
        var genesis = try ChainState.genesis(config)
        headRoot = genesis.genesisBlockRoot()
        state = genesis
        self.signs = signs
        self.randaoChainLength = randaoChainLength
    }

    mutating func secretKey(_ validator: Int) -> SecretKey {
        if let key = keys[validator] { return key }
        let key = DevnetKeys.secretKey(validatorIndex: UInt64(validator))
        keys[validator] = key
        return key
    }

    mutating func sign(_ root: Root, validator: Int) -> Signature {
        signs ? secretKey(validator).sign(root) : Self.zeroSignature
    }

    /// Builds and signs the block of `slot` on the current state with the pooled attestations
    /// and `transactions`, without applying it. Returns the block and the reveal it used.
    mutating func makeBlock(slot: Slot, transactions: [SignedTransaction] = []) throws -> SignedBlock {
        var preview = state
        try preview.processSlots(slot)
        let proposer = Int(try preview.getBeaconProposerIndex().rawValue)
        let chain = chains[proposer] ?? DevnetGenesis.randaoChain(validatorIndex: UInt64(proposer), length: randaoChainLength)
        chains[proposer] = chain
        guard let reveal = chain.reveal(number: (revealsUsed[proposer] ?? 0) + 1) else {
            throw BenchError("validator \(proposer) ran out of RANDAO reveals")
        }
        let operations = BlockOperations(attestations: attestationPool, transactions: transactions)
        let proposal = try state.produceBlock(slot: slot, randaoReveal: reveal, operations: operations)
        return SignedBlock(message: proposal.block, signature: sign(state.signingRoot(of: proposal.block), validator: proposer))
    }

    /// Applies `block` (made by `makeBlock` on the current state) with the full state
    /// transition, then lets the committee of its slot attest.
    mutating func apply(_ block: SignedBlock) throws {
        try state.stateTransition(block, strategy: signs ? .verifyIndividually : .skip)
        let proposer = Int(block.message.proposerIndex.rawValue)
        revealsUsed[proposer, default: 0] += 1
        headRoot = block.message.hashTreeRoot
        let included = Set(block.message.body.attestations)
        attestationPool.removeAll { included.contains($0) }
        attest(slot: block.message.slot)
    }

    /// `makeBlock` then `apply`.
    mutating func advance(to slot: Slot) throws {
        try apply(try makeBlock(slot: slot))
    }

    /// The committee of `slot` votes for the current head, with the head state's justified
    /// checkpoint as source and the epoch's boundary block as target (as `TestChain.attest`).
    mutating func attest(slot: Slot) {
        let epoch = state.computeEpochAtSlot(slot)
        let startSlot = state.computeStartSlotAtEpoch(epoch)
        let targetRoot = startSlot == slot ? headRoot : (try? state.getBlockRootAtSlot(startSlot)) ?? headRoot
        let data = AttestationData(
            slot: slot, beaconBlockRoot: headRoot, source: state.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: epoch, root: targetRoot))
        let signingRoot = state.signingRoot(of: data)
        for index in state.getBeaconCommittee(slot) {
            attestationPool.append(Attestation(
                validatorIndex: index, data: data, signature: sign(signingRoot, validator: Int(index.rawValue))))
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
