import KeelChain
import KeelCrypto

/// A validator's newest vote as fork choice sees it (phase0 `LatestMessage`).
public struct LatestMessage: Hashable, Sendable {
    /// The target epoch of the attestation the vote came from; a vote is replaced only by one
    /// with a later target epoch.
    public var epoch: Epoch
    /// The head block the validator voted for.
    public var root: Root

    /// A vote for `root` from an attestation with target epoch `epoch`.
    public init(epoch: Epoch, root: Root) {
        self.epoch = epoch
        self.root = root
    }
}

/// The limits and constants of a `ForkChoiceStore`.
public struct ForkChoiceConfig: Hashable, Sendable {
    /// phase0 `SAFE_SLOTS_TO_UPDATE_JUSTIFIED`: in the first slots of an epoch a new justified
    /// checkpoint is adopted at once; later in the epoch only if it descends from the current one
    /// (the bouncing-attack defence).
    ///
    /// Departure from phase0: it is a fork-choice constant there (8 on mainnet with 32 slots per
    /// epoch, 2 on minimal with 8); `Preset` has no field for it, so it lives here and defaults to
    /// a quarter of an epoch, the ratio of both phase0 presets.
    public var safeSlotsToUpdateJustified: UInt64
    /// The most blocks the store holds (STYLE item 13). Finality prunes the tree; without
    /// finality a store at this bound refuses new blocks (`ForkChoiceError.storeFull`) rather
    /// than grow without bound.
    public var blockCountMax: Int
    /// The most checkpoint states kept for checking attestations; the oldest are evicted first.
    public var checkpointStateCountMax: Int

    /// Explicit limits (tests use small ones).
    ///
    /// - Precondition: both counts are at least 1.
    public init(safeSlotsToUpdateJustified: UInt64, blockCountMax: Int, checkpointStateCountMax: Int) {
        precondition(blockCountMax >= 1, "the store holds at least its anchor")
        precondition(checkpointStateCountMax >= 1, "the justified checkpoint state is always kept")
        self.safeSlotsToUpdateJustified = safeSlotsToUpdateJustified
        self.blockCountMax = blockCountMax
        self.checkpointStateCountMax = checkpointStateCountMax
    }

    /// The defaults for `preset`: a quarter-epoch of safe slots, 4,096 blocks (512 epochs of
    /// devnet blocks) and 64 checkpoint states.
    public init(preset: Preset) {
        self.init(
            safeSlotsToUpdateJustified: max(1, preset.slotsPerEpoch / 4), blockCountMax: 4_096,
            checkpointStateCountMax: 64)
    }
}

/// One block of the store's tree. Nodes sit in `ForkChoiceStore.nodes` in insertion order, so a
/// parent always comes before its children: one backward pass visits every child before its
/// parent, which is what `getHead` relies on.
struct BlockNode: Hashable, Sendable {
    let root: Root
    let slot: Slot
    /// The parent's position in `nodes`; nil for the tree's root (the anchor, later the
    /// finalized block).
    var parentIndex: Int?
    /// The justified checkpoint of the block's post-state (`filter_block_tree` reads it from
    /// `store.block_states`).
    let justifiedCheckpoint: Checkpoint
}

/// What fork choice needs from a checkpoint state (phase0 `store.checkpoint_states[checkpoint]`):
/// the state of the checkpoint's block advanced through empty slots to the start of the
/// checkpoint's epoch.
///
/// Departure from phase0: the spec keeps the whole state; this keeps the three things it is
/// read for (attestation signatures, committees, and the justified balances of `getHead`), so a
/// cached checkpoint costs about 50 bytes per validator instead of a full state.
struct CheckpointSummary: Sendable {
    /// The registry's keys, by validator index.
    let publicKeys: [PublicKey]
    /// The effective stake of each validator active in the checkpoint's epoch; zero for the rest
    /// (phase0 `get_latest_attesting_balance` sums over the active indices only).
    let activeEffectiveStakes: [UInt64]
    /// Each validator's attestation slot in the checkpoint's epoch, `UInt64.max` for none.
    let attestationSlots: [UInt64]
}

/// The phase0 fork-choice store: LMD-GHOST from the justified checkpoint over a block tree that
/// keeps only descendants of the finalized block ("Beacon Chain Fork Choice", `Store`).
///
/// Departures from phase0, each also noted where it applies:
/// - Time is the current `Slot` (`currentSlot`), not seconds: the core never reads a clock, and
///   nothing in phase0 fork choice uses time finer than a slot (proposer boost is not phase0).
/// - Weights are computed in one pass per `getHead` (each latest message's stake is added to its
///   block and carried up to the root, as proto-array does), not by a scan per block.
/// - Finality prunes every block that does not descend from the finalized block (the spec never
///   forgets; a client must), so `getAncestor` returns nil below the finalized block.
/// - Signatures of attestations carried by a block are checked by the block's state transition,
///   so `onBlock` does not check them again.
///
/// - Important: A value type: copies are independent (states are copy-on-write). Nothing here
///   iterates a `Dictionary` or `Set` where the order could change a result (STYLE item 14).
public struct ForkChoiceStore: Sendable {
    /// The store's limits and constants.
    public let config: ForkChoiceConfig
    /// The preset of the anchor state (all states in the store share it).
    public let preset: Preset
    /// The current slot (phase0 `get_current_slot(store)`), moved forward by `onTick`.
    public internal(set) var currentSlot: Slot
    /// phase0 `store.justified_checkpoint`: where `getHead` starts.
    public internal(set) var justifiedCheckpoint: Checkpoint { didSet { forgetHead() } }
    /// phase0 `store.finalized_checkpoint`: the root of the pruned tree.
    public internal(set) var finalizedCheckpoint: Checkpoint
    /// phase0 `store.best_justified_checkpoint`: a later justified checkpoint held back by
    /// `shouldUpdateJustifiedCheckpoint`, adopted at the next epoch start by `onTick`.
    public internal(set) var bestJustifiedCheckpoint: Checkpoint

    /// The block tree, parents before children.
    var nodes: [BlockNode] { didSet { forgetHead() } }
    /// Each node's position in `nodes`.
    var nodeIndices: [Root: Int]
    /// phase0 `store.blocks`, without the anchor (whose body the store never saw).
    var blocks: [Root: SignedBlock]
    /// phase0 `store.block_states`: each block's post-state.
    var blockStates: [Root: ChainState]
    /// phase0 `store.checkpoint_states`, summarized.
    var checkpointSummaries: [Checkpoint: CheckpointSummary]
    /// phase0 `store.latest_messages`, by validator index (an array: validator indices are dense).
    var latestMessages: [LatestMessage?] { didSet { forgetHead() } }
    /// The effective stakes of the justified checkpoint state's active validators, kept in step
    /// with `justifiedCheckpoint` so that `getHead` needs no state.
    var justifiedBalances: [UInt64] { didSet { forgetHead() } }
    /// phase0 `store.equivocating_indices`: validators proven to have double or surround voted
    /// (`on_attester_slashing`) or, a departure, double proposed (`onProposerSlashing`), whose
    /// latest messages weigh nothing in `getHead`.
    var equivocatingIndices: Set<ValidatorIndex> = [] { didSet { forgetHead() } }
    /// `getHead`'s answer for the store as it is: each property it reads forgets it when it
    /// changes.
    var headMemo = HeadMemo()

    /// phase0 `get_forkchoice_store`: a store holding only the anchor, which is both justified
    /// and finalized.
    ///
    /// The anchor block is the state's latest header with its state root filled in (for a genesis
    /// state, the genesis block of `ChainState.genesisBlockRoot()`); phase0 passes the block
    /// separately and asserts that its state root is the state's root.
    ///
    /// - Parameters:
    ///   - anchorState: A trusted block post-state (genesis, or a finalized state from a
    ///     checkpoint sync): its slot must be its latest block's slot.
    ///   - currentSlot: The current slot; at least the anchor's.
    ///   - config: Limits and constants; the defaults for the anchor's preset when nil.
    /// - Important: A state that is not a block's post-state is a programming error and traps.
    public init(anchorState: ChainState, currentSlot: Slot, config: ForkChoiceConfig? = nil) {
        var state = anchorState
        precondition(state.slot == state.latestBlockHeader.slot, "the anchor state must be a block's post-state")
        precondition(currentSlot >= state.slot, "the anchor cannot be from the future")
        let stateRoot = state.hashTreeRoot()
        var header = state.latestBlockHeader
        precondition(header.stateRoot == .zero || header.stateRoot == stateRoot, "the anchor header names another state")
        header.stateRoot = stateRoot
        let anchorRoot = header.hashTreeRoot
        let anchorCheckpoint = Checkpoint(epoch: state.getCurrentEpoch(), root: anchorRoot)

        self.config = config ?? ForkChoiceConfig(preset: state.preset)
        self.preset = state.preset
        self.currentSlot = currentSlot
        self.justifiedCheckpoint = anchorCheckpoint
        self.finalizedCheckpoint = anchorCheckpoint
        self.bestJustifiedCheckpoint = anchorCheckpoint
        self.nodes = [BlockNode(
            root: anchorRoot, slot: state.slot, parentIndex: nil, justifiedCheckpoint: state.currentJustifiedCheckpoint)]
        self.nodeIndices = [anchorRoot: 0]
        self.blocks = [:]
        self.blockStates = [anchorRoot: state]
        // phase0 stores the anchor state itself as the justified checkpoint state, unadvanced.
        let summary = Self.summarize(state, epoch: anchorCheckpoint.epoch)
        self.checkpointSummaries = [anchorCheckpoint: summary]
        self.latestMessages = []
        self.justifiedBalances = summary.activeEffectiveStakes
        precondition(nodes.count == 1 && blockStates.count == 1)
    }

    // MARK: Accessors

    /// The number of blocks in the tree, the anchor or finalized block included.
    public var blockCount: Int { nodes.count }

    /// The block with root `root`; nil if unknown, pruned, or the anchor (whose body the store
    /// never saw).
    public func block(_ root: Root) -> SignedBlock? { blocks[root] }

    /// The post-state of block `root`; nil if unknown or pruned.
    public func state(_ root: Root) -> ChainState? { blockStates[root] }

    /// Whether block `root` is in the tree.
    public func contains(_ root: Root) -> Bool { nodeIndices[root] != nil }

    /// The slot of block `root`; nil if unknown or pruned.
    public func slot(of root: Root) -> Slot? { nodeIndices[root].map { nodes[$0].slot } }

    /// The latest message of `validator`, if fork choice has one.
    public func latestMessage(_ validator: ValidatorIndex) -> LatestMessage? {
        let position = Int(validator.rawValue)
        return position < latestMessages.count ? latestMessages[position] : nil
    }

    /// The roots of every block in the tree, parents before children.
    public var blockRoots: [Root] { nodes.map(\.root) }

    /// phase0 `get_ancestor`: the root of the highest block at or below `slot` on the chain of
    /// `root`.
    ///
    /// - Returns: nil when `root` is unknown, or when the walk would leave the tree (the answer
    ///   lies below the finalized block, which pruning has forgotten).
    public func getAncestor(_ root: Root, slot: Slot) -> Root? {
        guard var index = nodeIndices[root] else { return nil }
        // Bounded by the tree's size: each step moves to an earlier node.
        for _ in 0..<nodes.count {
            if nodes[index].slot <= slot { return nodes[index].root }
            guard let parent = nodes[index].parentIndex else { return nil }
            precondition(parent < index, "parents come before their children")
            index = parent
        }
        preconditionFailure("ancestor walk longer than the tree")
    }

    /// Whether `root` is the finalized block or one of its descendants (phase0 on_block's
    /// `get_ancestor(store, block.parent_root, finalized_slot) == store.finalized_checkpoint.root`).
    ///
    /// It walks up to the first block at or below the finalized epoch's start slot, or to the
    /// finalized block itself: the latter also covers an anchor that sits after its epoch's
    /// start slot, where phase0's `get_ancestor` would walk off the known blocks.
    func isDescendantOfFinalized(_ root: Root) -> Bool {
        guard var index = nodeIndices[root] else { return false }
        let finalizedSlot = computeStartSlotAtEpoch(finalizedCheckpoint.epoch)
        for _ in 0..<nodes.count {
            if nodes[index].root == finalizedCheckpoint.root { return true }
            if nodes[index].slot <= finalizedSlot { return false }
            guard let parent = nodes[index].parentIndex else { return false }
            index = parent
        }
        preconditionFailure("descendant walk longer than the tree")
    }

    // MARK: Helpers

    /// phase0 `compute_epoch_at_slot`.
    func computeEpochAtSlot(_ slot: Slot) -> Epoch { Epoch(slot.rawValue / preset.slotsPerEpoch) }

    /// phase0 `compute_start_slot_at_epoch`; saturates instead of overflowing for absurd epochs
    /// from untrusted attestations.
    func computeStartSlotAtEpoch(_ epoch: Epoch) -> Slot {
        let (product, overflow) = epoch.rawValue.multipliedReportingOverflow(by: preset.slotsPerEpoch)
        return Slot(overflow ? UInt64.max : product)
    }

    /// phase0 `compute_slots_since_epoch_start`.
    func computeSlotsSinceEpochStart(_ slot: Slot) -> UInt64 { slot.rawValue % preset.slotsPerEpoch }

    /// The checkpoint summary of `state`, which must already be at (or, for the anchor, in)
    /// `epoch`.
    static func summarize(_ state: ChainState, epoch: Epoch) -> CheckpointSummary {
        precondition(state.getCurrentEpoch() == epoch, "a checkpoint state is in its checkpoint's epoch")
        let count = state.validators.count
        var keys: [PublicKey] = []
        keys.reserveCapacity(count)
        var stakes = [UInt64](repeating: 0, count: count)
        for (position, validator) in state.validators.enumerated() {
            keys.append(validator.publicKey)
            if validator.isActiveValidator(epoch) { stakes[position] = validator.effectiveStake.rawValue }
        }
        var slots = [UInt64](repeating: UInt64.max, count: count)
        let shuffling = state.getEpochShuffling(epoch)
        for offset in 0..<state.preset.slotsPerEpoch {
            let slot = state.computeStartSlotAtEpoch(epoch).rawValue + offset
            for index in shuffling.committee(Slot(slot)) { slots[Int(index.rawValue)] = slot }
        }
        precondition(keys.count == count && slots.count == count)
        return CheckpointSummary(publicKeys: keys, activeEffectiveStakes: stakes, attestationSlots: slots)
    }

    /// phase0 `store_target_checkpoint_state`: the summary of `checkpoint`, computed from its
    /// block's state advanced through empty slots to the epoch's start, and cached.
    ///
    /// - Throws: the slot-processing error if the advance fails (it cannot for a state that a
    ///   valid block produced, but the state transition owns that claim, not fork choice).
    mutating func checkpointSummary(_ checkpoint: Checkpoint) throws(SlotProcessingError) -> CheckpointSummary {
        if let cached = checkpointSummaries[checkpoint] { return cached }
        guard let base = blockStates[checkpoint.root] else {
            preconditionFailure("checkpoint \(checkpoint) names a block the store does not hold")
        }
        var state = base
        let startSlot = computeStartSlotAtEpoch(checkpoint.epoch)
        if state.slot < startSlot { try state.processSlots(startSlot) }
        let summary = Self.summarize(state, epoch: checkpoint.epoch)
        evictCheckpointSummariesIfFull()
        checkpointSummaries[checkpoint] = summary
        precondition(checkpointSummaries.count <= config.checkpointStateCountMax)
        return summary
    }

    /// Makes room for one more checkpoint summary by evicting the oldest (lowest epoch, then
    /// lowest root) that is not the justified checkpoint.
    private mutating func evictCheckpointSummariesIfFull() {
        // A bounded number of evictions: each removes one entry.
        while checkpointSummaries.count >= config.checkpointStateCountMax {
            let candidates = checkpointSummaries.keys.filter { $0 != justifiedCheckpoint }.sorted {
                ($0.epoch, $0.root) < ($1.epoch, $1.root)
            }
            guard let oldest = candidates.first else { return }
            checkpointSummaries[oldest] = nil
        }
    }

    /// Sets `justifiedCheckpoint` and reloads the justified balances `getHead` weighs with.
    mutating func setJustifiedCheckpoint(_ checkpoint: Checkpoint) {
        precondition(nodeIndices[checkpoint.root] != nil, "a justified checkpoint names a known block")
        justifiedCheckpoint = checkpoint
        do {
            justifiedBalances = try checkpointSummary(checkpoint).activeEffectiveStakes
        } catch {
            // The justified block's state came from a valid block; its chain already crossed
            // these empty slots' epoch boundaries without error.
            preconditionFailure("the justified checkpoint state cannot be computed: \(error)")
        }
    }
}

/// Why fork choice refused a block or an attestation (STYLE item 8).
public enum ForkChoiceError: Error, Hashable, Sendable {
    /// phase0 on_block: `block.parent_root in store.block_states`.
    case unknownParent(Root)
    /// phase0 on_block: `get_current_slot(store) >= block.slot`.
    case futureBlock(blockSlot: Slot, currentSlot: Slot)
    /// phase0 on_block: `block.slot > finalized_slot`.
    case notAfterFinalized(blockSlot: Slot, finalizedSlot: Slot)
    /// phase0 on_block: the block's chain does not contain the finalized block.
    case notDescendantOfFinalized(parentRoot: Root, finalized: Checkpoint)
    /// phase0 on_block: `state_transition` failed.
    case invalidBlock(BlockProcessingError)
    /// The store holds `ForkChoiceConfig.blockCountMax` blocks and finality has not pruned it.
    case storeFull(blockCountMax: Int)
    /// phase0 on_attestation failed; the reason says which assertion.
    case invalidAttestation(OnAttestationInvalid)
}

/// Which phase0 `validate_on_attestation` (or `on_attestation`) assertion an attestation broke.
public enum OnAttestationInvalid: Error, Hashable, Sendable {
    /// The target epoch is after the current epoch: it may become valid later.
    case futureTargetEpoch(target: Epoch, current: Epoch)
    /// The target epoch is before the previous epoch.
    case targetEpochTooOld(target: Epoch, previous: Epoch)
    case targetEpochDoesNotMatchSlot(target: Epoch, slot: Slot)
    /// The target block is unknown (not yet seen, or pruned).
    case unknownTargetRoot(Root)
    /// The head block voted for is unknown (not yet seen, or pruned).
    case unknownHeadBlock(Root)
    /// The head block is later than the attestation's slot.
    case headBlockAfterAttestationSlot(blockSlot: Slot, attestationSlot: Slot)
    /// The target is not the head block's ancestor at the target epoch's start (LMD and FFG
    /// votes disagree).
    case targetNotAncestorOfHead(target: Root, ancestor: Root?)
    /// The attestation's slot is not yet over: it may only count from the next slot.
    case futureSlot(attestationSlot: Slot, currentSlot: Slot)
    case unknownValidator(ValidatorIndex)
    /// The validator does not sit in the committee of the attestation's slot in the target
    /// checkpoint state (phase0 `get_indexed_attestation`).
    case notInCommittee(ValidatorIndex, slot: Slot)
    /// phase0 `is_valid_indexed_attestation` against the target checkpoint state.
    case badSignature
    /// The target checkpoint state could not be computed.
    case targetStateUnavailable(SlotProcessingError)
}
