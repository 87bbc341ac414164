import KeelChain
import KeelCrypto

/// One node's consensus logic as a synchronous, deterministic state machine (DESIGN.md, "One
/// node, one core"): events in (``NodeEvent``), actions out (``NodeAction``).
///
/// It owns fork choice, the attestation and transaction pools, the slashing detector, the
/// orphan, future-block and waiting-attestation queues, sync decisions and validator duties.
/// It reads no clock, socket, file or random source: time comes in as slot events, and what
/// it needs from outside (the validators' keys and slashing protection) through ``Signer``.
/// `keel node` wraps one core in NIO, SQLite and the wall clock; `keel sim` drives many on
/// simulated time. There is no other copy of this logic.
///
/// Trust boundary: everything in an event is unverified. The pools, the detector, the block
/// producer and relay take only the verified types (``VerifiedAttestation``,
/// ``VerifiedTransaction``, ``VerifiedProposerSlashing``, ``VerifiedAttesterSlashing``,
/// ``ImportedBlock``), which only the checking functions make. A peer whose message fails a
/// check is penalized, and the message goes no further.
public struct NodeCore<Signer: ValidatorSigner> {
    public let config: NodeCoreConfig
    /// The fork-choice store: blocks, their states, checkpoints and votes.
    public internal(set) var store: ForkChoiceStore
    public internal(set) var attestationPool: AttestationPool
    public internal(set) var transactionPool: TransactionPool
    public internal(set) var detector = SlashingDetector()
    /// The validators this node acts for.
    public internal(set) var signer: Signer
    /// The peers connected, with the chain each announced.
    public internal(set) var peers: [PeerID: ChainStatus] = [:]

    var orphans: OrphanBlocks
    /// Blocks from a slot the clock has not reached, retried each slot.
    var futureBlocks: [(block: SignedBlock, sender: PeerID?)] = []
    /// Attestations waiting for a block or for their slot to pass, with their sender.
    var waitingAttestations: [(attestation: Attestation, sender: PeerID?)] = []
    /// Roots asked of peers, with the slot they were asked at (asked again a slot later).
    var requestedRoots: [Root: Slot] = [:]
    /// The range sync in progress, if any.
    var rangeSync: RangeSync?
    /// The head state advanced to a slot, cached for the slot's duties.
    var advancedHead: (slot: Slot, head: Root, state: ChainState)?
    /// The epoch shuffling duties last used, with the active set it shuffled.
    var dutyShuffling: (active: [ValidatorIndex], shuffling: EpochShuffling)?
    /// The finalized checkpoint last reported in a ``NodeAction/finalized(_:state:justified:)``.
    var reportedFinalized: Checkpoint
    /// The status last reported in a ``NodeAction/statusChanged(_:)``.
    var reportedStatus: ChainStatus?
    /// The justified checkpoint last reported in a ``ChainEvent/justifiedCheckpoint(_:)``.
    var reportedJustified: Checkpoint
    /// Actions of the event being handled.
    var pending: [NodeAction] = []

    /// Creates a core on `anchorState` (genesis, or the finalized state a restart resumes from).
    ///
    /// - Parameters:
    ///   - anchorState: The state fork choice starts from.
    ///   - currentSlot: The slot now (the clock's, or the anchor's if later).
    ///   - signer: The validators this node runs (none for a plain follower).
    ///   - config: Signature mode, byzantine mode and bounds.
    public init(anchorState: ChainState, currentSlot: Slot, signer: Signer, config: NodeCoreConfig = NodeCoreConfig()) {
        precondition(config.rangeBatchSlotCount >= 1, "a range request asks for a slot at least")
        self.config = config
        self.store = ForkChoiceStore(anchorState: anchorState, currentSlot: max(currentSlot, anchorState.slot))
        self.attestationPool = AttestationPool(preset: anchorState.preset)
        self.transactionPool = TransactionPool(capacity: config.transactionCountMax)
        self.signer = signer
        self.orphans = OrphanBlocks(countMax: config.orphanCountMax)
        self.reportedFinalized = store.finalizedCheckpoint
        self.reportedJustified = store.justifiedCheckpoint
    }

    /// Handles one event.
    ///
    /// - Returns: What the shell must do, in order.
    public mutating func handle(_ event: NodeEvent) -> [NodeAction] {
        precondition(pending.isEmpty, "events are handled one at a time")
        switch event {
        case let .tick(slot): store.onTick(slot)
        case let .slotStart(slot): startSlot(slot)
        case let .attestationDeadline(slot): attest(slot)
        case let .block(block, peer): importBlock(block, from: peer, relay: true)
        case let .attestation(attestation, peer): receiveAttestation(attestation, from: peer)
        case let .transaction(transaction, peer): receiveTransaction(transaction, from: peer)
        case let .proposerSlashing(slashing, peer): receiveProposerSlashing(slashing, from: peer)
        case let .attesterSlashing(slashing, peer): receiveAttesterSlashing(slashing, from: peer)
        case let .blocksByRoot(blocks, requested, peer, _): receiveBlocksByRoot(blocks, requested: requested, from: peer)
        case let .blocksByRange(blocks, startSlot, count, peer, failed):
            receiveBlocksByRange(blocks, startSlot: startSlot, count: count, from: peer, failed: failed)
        case let .peerConnected(peer, status): connect(peer, status: status)
        case let .peerDisconnected(peer): disconnect(peer)
        }
        defer { pending = [] }
        return pending
    }

    /// Imports a stored block at start-up (a restart replays what it stored above its anchor),
    /// checking it fully; no actions.
    ///
    /// - Returns: Whether the store took it.
    public mutating func replay(_ block: SignedBlock) -> Bool {
        (try? store.onBlock(block, strategy: config.signatures.strategy, verifyBatch: config.verifyBatch)) != nil
    }

    /// Whether a range sync runs.
    public var isSyncing: Bool { rangeSync != nil }

    /// The head block's root and slot.
    public var head: (root: Root, slot: Slot) {
        let root = store.getHead()
        return (root, store.slot(of: root) ?? Slot(0))
    }

    /// The head and finalized checkpoint, as announced to peers.
    public var status: ChainStatus {
        let (root, slot) = head
        return ChainStatus(headRoot: root, headSlot: slot, finalized: store.finalizedCheckpoint)
    }

    /// The head block's post-state.
    public var headState: ChainState {
        guard let state = store.state(store.getHead()) else { preconditionFailure("the head has a state") }
        return state
    }

    /// The number of blocks waiting for their parent.
    public var orphanCount: Int { orphans.count }

    mutating func emit(_ action: NodeAction) { pending.append(action) }

    mutating func note(_ note: NodeNote) { pending.append(.note(note)) }

    /// A slot begins: time moves, stale pool entries go, what waited for time is retried,
    /// missing parents are asked for again, and the slot's proposer proposes.
    mutating func startSlot(_ slot: Slot) {
        store.onTick(slot)
        attestationPool.prune(currentSlot: slot)
        transactionPool.prune(state: headState)
        retryFutureBlocks()
        retryWaitingAttestations()
        expireRangeSync(at: slot)
        requestMissingParents(at: slot)
        propose(slot)
        reportStatusIfChanged()
    }

    /// Reports the status when it moved, with the head, reorg and justification events. Called
    /// where the head can move for peers to care (a block imported, a slot started), not after
    /// every vote: `getHead` is O(validators).
    mutating func reportStatusIfChanged() {
        let justified = store.justifiedCheckpoint
        if justified != reportedJustified {
            reportedJustified = justified
            emit(.event(.justifiedCheckpoint(justified)))
        }
        let current = status
        guard current != reportedStatus else { return }
        let previous = reportedStatus
        reportedStatus = current
        emit(.statusChanged(current))
        guard current.headRoot != previous?.headRoot else { return }
        reportHead(current, previous: previous)
    }

    /// The `head` event of a new head, preceded by `chain_reorg` when the old head is not its
    /// ancestor.
    private mutating func reportHead(_ current: ChainStatus, previous: ChainStatus?) {
        let headState = stateRoot(of: current.headRoot)
        // An old head that finality pruned was off the finalized chain: a reorg back to (at
        // least) the finalized block.
        if let previous, !store.contains(previous.headRoot) || store.getAncestor(current.headRoot, slot: previous.headSlot) != previous.headRoot {
            let common = store.contains(previous.headRoot)
                ? commonAncestorSlot(previous.headRoot, current.headRoot) : (store.slot(of: store.finalizedCheckpoint.root) ?? Slot(0))
            emit(.event(.chainReorg(ChainReorg(
                slot: current.headSlot, depth: previous.headSlot.rawValue - min(common.rawValue, previous.headSlot.rawValue),
                oldHeadBlock: previous.headRoot, newHeadBlock: current.headRoot, oldHeadState: stateRoot(of: previous.headRoot),
                newHeadState: headState, epoch: store.computeEpochAtSlot(current.headSlot)))))
        }
        let parentSlot = store.block(current.headRoot).flatMap { store.slot(of: $0.message.parentRoot) }
        let epochTransition = parentSlot.map { store.computeEpochAtSlot($0) < store.computeEpochAtSlot(current.headSlot) } ?? false
        emit(.event(.head(slot: current.headSlot, block: current.headRoot, state: headState, epochTransition: epochTransition)))
    }

    /// The post-state root of block `root`: the one its block claims, or for the anchor (whose
    /// body the store never saw) its state's root.
    private func stateRoot(of root: Root) -> Root {
        if let block = store.block(root) { return block.message.stateRoot }
        guard var state = store.state(root) else { return .zero }
        return state.hashTreeRoot()
    }

    /// The slot of the latest block both chains share, stepping down the higher of the two.
    private func commonAncestorSlot(_ a: Root, _ b: Root) -> Slot {
        var (left, right) = (a, b)
        for _ in 0..<(2 * store.blockCount) {
            guard let leftSlot = store.slot(of: left), let rightSlot = store.slot(of: right) else { break }
            if left == right { return leftSlot }
            let higher = leftSlot >= rightSlot ? left : right
            guard let parent = store.block(higher)?.message.parentRoot else { break }
            if leftSlot >= rightSlot { left = parent } else { right = parent }
        }
        return Slot(0)
    }

    /// Reports finality that moved since the last report, and prunes what it makes useless.
    mutating func checkFinality() {
        let finalized = store.finalizedCheckpoint
        guard finalized.epoch > reportedFinalized.epoch else { return }
        reportedFinalized = finalized
        guard let state = store.state(finalized.root) else { preconditionFailure("the finalized block has a state") }
        detector.prune(finalizedState: state)
        orphans.prune(atOrBelow: state.computeStartSlotAtEpoch(finalized.epoch))
        emit(.finalized(finalized, state: state, justified: store.justifiedCheckpoint))
        emit(.event(.finalizedCheckpoint(finalized, state: stateRoot(of: finalized.root))))
    }
}

extension NodeCore {
    /// The blocks held among `roots` (at most `countMax`): from the store, else from
    /// `archive` (the node's database, for blocks below the finalized one).
    public func blocks(roots: [Root], countMax: Int, archive: (Root) -> SignedBlock? = { _ in nil }) -> [SignedBlock] {
        roots.prefix(countMax).compactMap { store.block($0) ?? archive($0) }
    }

    /// The canonical (head-chain) blocks of slots `startSlot ..< startSlot + count`, in slot
    /// order, found by walking back from the head through the store, then `archive`, at most
    /// `walkMax` blocks.
    public func canonicalBlocks(
        startSlot: Slot, count: UInt64, walkMax: Int = 1 << 16, archive: (Root) -> SignedBlock? = { _ in nil }
    ) -> [SignedBlock] {
        let end = startSlot.rawValue.addingReportingOverflow(count)
        let endSlot = end.overflow ? UInt64.max : end.partialValue
        var found: [SignedBlock] = []
        var root = store.getHead()
        for _ in 0..<walkMax {
            guard let block = store.block(root) ?? archive(root), block.message.slot >= startSlot else { break }
            if block.message.slot.rawValue < endSlot { found.append(block) }
            root = block.message.parentRoot
        }
        precondition(found.count <= Int(clamping: count), "at most one block a slot")
        return found.reversed()
    }
}
