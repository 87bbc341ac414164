import KeelChain
import KeelConsensus
import KeelCrypto

/// Fuzzes the fork-choice store (Sources/KeelConsensus) with fuzzed orders of events.
///
/// At start-up (once, cached in `Tree.shared`) a small block tree is built on an 8-validator
/// devnet genesis with the devnet keys, every block and attestation really signed:
/// - a main chain through slot `mainLength`, every slot's committee attesting to the head
///   and its votes included in the next block, so it justifies and finalizes;
/// - three forks: off slot 4 (slots 6-12, no votes), off slot 12 (slots 14-21, voting for
///   itself), off slot 26 (slots 28-31, after the main chain has justified);
/// - for every block, the attestations of the committees of its slot and the next three
///   slots voting for it as head (so votes can pull the head onto any branch).
///
/// An input is a sequence of at most `eventCountMax` events, each an opcode byte and an
/// argument byte or two: a tick forward, a block of the tree (any one, in any order, so
/// unknown parents, future and pre-finalized blocks and repeats are all exercised), an
/// attestation of the tree (from a block or from gossip), or the next main-chain block after a
/// tick to its slot (so inputs reach finality quickly). Errors the store throws are the
/// expected answers to bad orders and are ignored.
///
/// Signatures were checked when the tree was built; during fuzzing the store is told to skip
/// them (`onBlock(_:strategy: .skip)`, `onAttestation(_:isFromBlock:verifySignature: false)`)
/// for speed.
///
/// After every event:
/// - `getHead()` is a block of the tree (or the anchor) and the store contains it;
/// - the store contains its finalized checkpoint's block, and the head descends from it
///   (`getAncestor(head, slot of finalized block) == finalized root`);
/// - the finalized epoch never decreases, and the justified epoch is never below it.
/// Any violation traps, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let tree = Tree.shared
    var store = tree.store
    var bytes = UnsafeBufferPointer(start: data, count: size).makeIterator()
    var nextMain = 0
    var finalizedEpoch = store.finalizedCheckpoint.epoch
    for _ in 0..<eventCountMax {
        guard let opcode = bytes.next() else { break }
        let argument = Int(bytes.next() ?? 0)
        switch opcode % 8 {
        case 0:
            store.onTick(Slot(store.currentSlot.rawValue + UInt64(argument % 9)))
        case 1, 2, 3:
            let block = tree.blocks[argument % tree.blocks.count]
            _ = try? store.onBlock(block, strategy: .skip)
        case 4, 5:
            let index = argument << 8 | Int(bytes.next() ?? 0)
            let attestation = tree.attestations[index % tree.attestations.count]
            try? store.onAttestation(attestation, isFromBlock: opcode & 8 != 0, verifySignature: false)
        case 6:
            store.onTick(Slot(UInt64(argument % (Int(mainLength) + 8))))
        default:
            guard nextMain < tree.main.count else { break }
            let block = tree.main[nextMain]
            nextMain += 1
            store.onTick(block.message.slot)
            _ = try? store.onBlock(block, strategy: .skip)
        }
        check(store, tree, &finalizedEpoch)
    }
    return 0
}

private let eventCountMax = 256
private let validatorCount = 8
private let mainLength: UInt64 = 40

private func check(_ store: ForkChoiceStore, _ tree: Tree, _ finalizedEpoch: inout Epoch) {
    let head = store.getHead()
    precondition(tree.known.contains(head), "getHead returned a block the tree does not have: \(head)")
    precondition(store.contains(head), "getHead returned a block the store does not contain")
    let finalized = store.finalizedCheckpoint
    precondition(store.contains(finalized.root), "the store lost its finalized block")
    guard let finalizedSlot = store.slot(of: finalized.root) else { preconditionFailure("no slot for the finalized block") }
    precondition(
        store.getAncestor(head, slot: finalizedSlot) == finalized.root,
        "the head at slot \(store.slot(of: head).map { "\($0.rawValue)" } ?? "?") does not descend from the finalized block (epoch \(finalized.epoch.rawValue))")
    precondition(finalized.epoch >= finalizedEpoch, "the finalized epoch went back")
    precondition(store.justifiedCheckpoint.epoch >= finalized.epoch, "justified below finalized")
    finalizedEpoch = finalized.epoch
}

/// The pre-built tree every execution draws its events from.
struct Tree: @unchecked Sendable {
    static let shared = Tree()

    /// A store holding only the genesis anchor; each execution starts from a copy.
    let store: ForkChoiceStore
    /// The main chain in slot order.
    let main: [SignedBlock]
    /// Every block of the tree: the main chain and the forks.
    let blocks: [SignedBlock]
    let attestations: [Attestation]
    /// The roots of every block and of the anchor.
    let known: Set<Root>

    init() {
        let builder = Builder()
        var mainStates: [(root: Root, state: ChainState)] = [(builder.anchorRoot, builder.genesis)]
        var main: [SignedBlock] = []
        var pool: [Attestation] = []
        var all: [SignedBlock] = []
        var attestations: [Attestation] = []
        for slot in 1...mainLength {
            let (parentRoot, parentState) = mainStates.last!
            let (block, post) = builder.build(on: parentState, slot: Slot(slot), attestations: pool)
            let root = block.message.hashTreeRoot
            pool = builder.votes(for: root, state: post, slots: slot...slot)
            attestations += builder.votes(for: root, state: post, slots: slot...(slot + 3))
            _ = parentRoot
            main.append(block)
            mainStates.append((root, post))
        }
        all += main
        // Forks: (branch point slot, first slot, last slot, vote for itself).
        for (from, first, last, votes) in [(4, 6, 12, false), (12, 14, 21, true), (26, 28, 31, true)] as [(Int, UInt64, UInt64, Bool)] {
            var state = mainStates[from].state
            var forkPool: [Attestation] = []
            for slot in first...last {
                let (block, post) = builder.build(on: state, slot: Slot(slot), attestations: forkPool)
                let root = block.message.hashTreeRoot
                let ownVotes = builder.votes(for: root, state: post, slots: slot...slot)
                forkPool = votes ? ownVotes : []
                attestations += builder.votes(for: root, state: post, slots: slot...(slot + 3))
                all.append(block)
                state = post
            }
        }
        let finalized = mainStates.last!.state.finalizedCheckpoint
        precondition(finalized.epoch.rawValue >= 2, "the pre-built main chain should finalize (finalized epoch \(finalized.epoch.rawValue))")
        self.main = main
        self.blocks = all
        self.attestations = attestations
        self.known = Set(all.map(\.message.hashTreeRoot) + [builder.anchorRoot])
        self.store = builder.store
    }
}

/// Makes signed blocks and votes with the devnet keys.
struct Builder {
    let genesis: ChainState
    let anchorRoot: Root
    let store: ForkChoiceStore
    let secretKeys: [SecretKey]
    let randaoChains: [HashChain]
    /// Reveals used per validator, per branch tip state (keyed by the proposer's commitment:
    /// the next reveal is the preimage of the current commitment).
    let revealIndex: [[Root: UInt32]]

    init() {
        let config = DevnetGenesis.config(validatorCount: validatorCount, genesisTimeMs: 0, randaoChainLength: 128)
        var state = try! ChainState.genesis(config)
        anchorRoot = state.genesisBlockRoot()
        genesis = state
        store = ForkChoiceStore(anchorState: state, currentSlot: Slot(0))
        secretKeys = (0..<UInt64(validatorCount)).map { DevnetKeys.secretKey(validatorIndex: $0) }
        let chains = (0..<UInt64(validatorCount)).map { DevnetGenesis.randaoChain(validatorIndex: $0, length: 128) }
        randaoChains = chains
        // Element number n of a chain is the reveal after n - 1 others; index them by value so
        // a branch's next reveal is found from the commitment its state holds.
        revealIndex = chains.map { chain in
            var index: [Root: UInt32] = [chain.commitment: 0]
            for number in 1...UInt32(127) { index[chain.reveal(number: number)!] = number }
            return index
        }
        precondition(store.contains(anchorRoot), "the anchor root is the genesis block root")
    }

    /// The block of `slot` on `state` (a block post-state), signed by its proposer.
    func build(on state: ChainState, slot: Slot, attestations: [Attestation]) -> (SignedBlock, ChainState) {
        var preview = state
        try! preview.processSlots(slot)
        let proposer = Int(try! preview.getBeaconProposerIndex().rawValue)
        let used = revealIndex[proposer][preview.validators[proposer].randaoCommitment]!
        let reveal = randaoChains[proposer].reveal(number: used + 1)!
        let proposal = try! state.produceBlock(slot: slot, randaoReveal: reveal, operations: BlockOperations(attestations: attestations))
        let signed = SignedBlock(message: proposal.block, signature: secretKeys[proposer].sign(state.signingRoot(of: proposal.block)))
        var verified = state
        try! verified.stateTransition(signed)
        return (signed, verified)
    }

    /// The committees of `slots` vote for block `root`, whose post-state is `state`, as head.
    func votes(for root: Root, state: ChainState, slots: ClosedRange<UInt64>) -> [Attestation] {
        var result: [Attestation] = []
        for slot in slots {
            var view = state
            if slot > view.slot.rawValue { try! view.processSlots(Slot(slot)) }
            let epoch = view.computeEpochAtSlot(Slot(slot))
            let startSlot = view.computeStartSlotAtEpoch(epoch)
            let targetRoot = startSlot.rawValue >= state.slot.rawValue ? root : (try? view.getBlockRootAtSlot(startSlot)) ?? root
            let data = AttestationData(
                slot: Slot(slot), beaconBlockRoot: root, source: view.currentJustifiedCheckpoint,
                target: Checkpoint(epoch: epoch, root: targetRoot))
            let signingRoot = view.signingRoot(of: data)
            for index in view.getBeaconCommittee(Slot(slot)) {
                result.append(Attestation(validatorIndex: index, data: data, signature: secretKeys[Int(index.rawValue)].sign(signingRoot)))
            }
        }
        return result
    }
}
