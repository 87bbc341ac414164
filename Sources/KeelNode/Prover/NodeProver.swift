import Dispatch
import KeelChain
import KeelCrypto
import KeelProof
import Logging
import Synchronization

/// A prover node's proving worker: proves each block the node imports, off the node's actor,
/// and stores what it made in the chain database, from which the API serves it.
///
/// The node hands each imported block over with its parent's post-state (``submit(_:preState:)``,
/// which never blocks); one task proves them in order (``run()``) on a dispatch queue of its own. Proving re-executes the block
/// with a trace and cuts two witnesses, about the cost of an import, so a slow prover lags
/// behind the head instead of stalling imports and duties. The queue is bounded
/// (``queueCountMax``); a block that does not fit is dropped, logged and counted as a failure.
///
/// A queued block is not lost for good while its parent state can be had. The node stops by
/// draining the queue (``drain(worker:timeoutMs:)``, bounded: what is left is counted and
/// logged), and at start it queues the stored blocks that have no proof (``submitStored(_:)``),
/// proving them on the store's states, the database's, or states the worker re-executes from an
/// earlier stored block.
///
/// - Important: The proof system is the **STUB** ``StubSignedClaimProofSystem`` unless the node
///   was started with `keel-stark-v1` (``NodeProofSystem/stark``): a stub proof is the prover's
///   signature over the claim and proves nothing about execution (see each system's
///   ``ProofSystem/guarantee``).
public final class NodeProver: Sendable {
    /// The most blocks waiting to be proven (a sync of 64-block batches fits many times over).
    public static let queueCountMax = 1_024
    /// How often (in blocks) proving stored blocks logs its progress.
    static let backfillProgressEvery = 64

    /// The proof system proofs are made in.
    public let system: any ProofSystem
    private let prover: BlockProver
    private let database: ChainDatabase
    private let metrics: NodeMetrics
    private let logger: Logger
    private let jobs: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    /// Blocks queued and not yet done (proven or failed): what a stop leaves unproven.
    private let pending = Atomic<Int>(0)
    /// Where proofs are computed: a thread of its own rather than the concurrency pool, whose
    /// few threads (one per core) the node's actor, its network events and the API share.
    /// Internal so that tests can suspend it to hold blocks in the queue.
    let queue = DispatchQueue(label: "keel.prover", qos: .utility)

    /// One stored block to prove at start (``submitStored(_:)``).
    struct StoredBlock: Sendable {
        var block: SignedBlock
        /// The parent's post-state if the caller holds it; nil when the worker takes it from an
        /// earlier stored block it proves (see `postStateUses`) or from the database's states.
        var preState: ChainState?
        /// How many later stored blocks of the same batch are proven on this block's post-state;
        /// when positive, the worker computes and keeps that state until they are done.
        var postStateUses: Int
    }

    private struct Job: Sendable {
        var block: SignedBlock
        var preState: ChainState?
        var postStateUses = 0
        /// The position in a batch of stored blocks (``submitStored(_:)``), nil for an import.
        var stored: (index: Int, count: Int)?
    }

    /// What proving one job came to.
    private struct Outcome: Sendable {
        var proven: Bool
        /// The block's post-state, when the job asked for it to be kept.
        var postState: ChainState?
    }

    /// What the worker keeps between jobs (``run()``).
    private struct WorkerState {
        /// Post-states of stored blocks that later stored blocks are proven on, with the uses left.
        var postStates: [Root: (state: ChainState, usesLeft: Int)] = [:]
        var storedProven = 0
        var storedFailed = 0
    }

    /// Checks that `secretKey` is the prover `genesis` names.
    ///
    /// - Throws: ``NodeProverError`` when genesis names no prover or another one.
    public static func check(secretKey: SecretKey, genesis: GenesisFile) throws(NodeProverError) {
        guard let named = genesis.proverKey else { throw .genesisNamesNoProver }
        guard named == secretKey.publicKey else { throw .proverKeyMismatch(genesis: named, key: secretKey.publicKey) }
    }

    /// Creates the worker; nothing is proven until ``run()``.
    ///
    /// - Throws: ``NodeProverError`` when `secretKey` is not the prover `genesis` names.
    init(
        secretKey: SecretKey, genesis: GenesisFile, database: ChainDatabase, metrics: NodeMetrics, logger: Logger,
        proofSystem: NodeProofSystem = .stub
    ) throws(NodeProverError) {
        try Self.check(secretKey: secretKey, genesis: genesis)
        system = proofSystem.system(secretKey: secretKey, genesis: genesis)
        prover = BlockProver(system: system)
        self.database = database
        self.metrics = metrics
        self.logger = logger
        (jobs, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingOldest(Self.queueCountMax))
    }

    /// How many queued blocks are not done yet.
    var pendingCount: Int { pending.load(ordering: .acquiring) }

    /// Queues `block` to be proven on `preState`, its parent's full post-state; never blocks.
    ///
    /// The block must already be imported (its signatures checked): it is proven with
    /// `strategy: .skip`.
    func submit(_ block: SignedBlock, preState: ChainState) {
        guard preState.slot < block.message.slot else {
            // Not a bug worth stopping a node for: the block simply cannot be proven on it.
            metrics.recordProofFailure()
            logger.error(
                "cannot prove a block on a state that is not before it",
                metadata: ["slot": "\(block.message.slot)", "state_slot": "\(preState.slot)"])
            return
        }
        enqueue(Job(block: block, preState: preState))
    }

    /// Queues stored blocks that have no proof, oldest first, ahead of blocks imported later.
    ///
    /// - Parameter blocks: Blocks from the database (checked when they were imported), by slot;
    ///   each one's parent state is given, or is an earlier entry's post-state, or is stored.
    func submitStored(_ blocks: [StoredBlock]) {
        precondition(blocks.count <= Self.queueCountMax, "a batch fits the queue")
        for (index, entry) in blocks.enumerated() {
            precondition(entry.postStateUses >= 0, "a use count is never negative")
            precondition(index == 0 || blocks[index - 1].block.message.slot <= entry.block.message.slot, "oldest first")
            enqueue(Job(
                block: entry.block, preState: entry.preState, postStateUses: entry.postStateUses,
                stored: (index, blocks.count)))
        }
    }

    private func enqueue(_ job: Job) {
        // Counted before the yield: the worker may finish the job before `yield` returns.
        pending.add(1, ordering: .acquiringAndReleasing)
        switch continuation.yield(job) {
        case .enqueued:
            return
        case .terminated:
            pending.subtract(1, ordering: .acquiringAndReleasing)
        case .dropped:
            pending.subtract(1, ordering: .acquiringAndReleasing)
            metrics.recordProofFailure()
            logger.error(
                "proving queue full: block not proven",
                metadata: ["slot": "\(job.block.message.slot)", "root": "\(job.block.message.hashTreeRoot.hex.prefix(16))"])
        @unknown default:
            pending.subtract(1, ordering: .acquiringAndReleasing)
        }
    }

    /// Proves queued blocks in order until ``finish()`` (after the queue drains) or cancellation
    /// (after the block in progress; the rest stay unproven, see ``pendingCount``).
    func run() async {
        var worker = WorkerState()
        for await job in jobs {
            if Task.isCancelled { return }
            let root = job.block.message.hashTreeRoot
            let parent = job.block.message.parentRoot
            var preState = job.preState
            if preState == nil, let kept = worker.postStates[parent] {
                preState = kept.state
                worker.postStates[parent] = kept.usesLeft > 1 ? (kept.state, kept.usesLeft - 1) : nil
            }
            let given = preState
            let outcome = await withCheckedContinuation { (done: CheckedContinuation<Outcome, Never>) in
                queue.async { done.resume(returning: self.prove(job, preState: given)) }
            }
            precondition(outcome.postState == nil || job.postStateUses > 0, "a post-state is kept only when asked for")
            if let postState = outcome.postState { worker.postStates[root] = (postState, job.postStateUses) }
            if let stored = job.stored { logStoredProgress(stored, proven: outcome.proven, worker: &worker) }
            let left = pending.subtract(1, ordering: .acquiringAndReleasing).newValue
            precondition(left >= 0, "every job done was counted when queued")
        }
    }

    /// Ends ``run()`` once the blocks already queued are done.
    func finish() { continuation.finish() }

    /// Ends the queue and waits for `worker` (the task running ``run()``) to prove what is in
    /// it, at most `timeoutMs`; then cancels it and waits for the block in progress.
    ///
    /// - Returns: How many queued blocks were left unproven (0 when the queue drained).
    func drain(worker: Task<Void, Never>, timeoutMs: UInt64) async -> Int {
        precondition(timeoutMs > 0, "a drain has time to run")
        finish()
        let drained = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await worker.value
                return true
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: timeoutMs * 1_000_000)
                return false
            }
            let first = await group.next() ?? false
            // The worker is not the group's child: cancel it, or the first child never returns.
            if !first { worker.cancel() }
            group.cancelAll()
            return first
        }
        if !drained { await worker.value }
        // Zero when the queue drained, unless someone else cancelled the worker.
        let left = pendingCount
        precondition(left >= 0, "a count is never negative")
        return left
    }

    /// Proves one job on `preState` (or, for a stored block, its parent's stored state).
    ///
    /// - Returns: Whether the block was proven, and its post-state if the job asks to keep it.
    private func prove(_ job: Job, preState given: ChainState?) -> Outcome {
        let root = job.block.message.hashTreeRoot
        let metadata: Logger.Metadata = ["slot": "\(job.block.message.slot)", "root": "\(root.hex.prefix(16))"]
        let preState: ChainState
        if let given {
            preState = given
        } else if let stored = try? database.state(blockRoot: job.block.message.parentRoot) {
            preState = stored
        } else {
            metrics.recordProofFailure()
            logger.error("cannot prove a stored block: its parent's state is not available", metadata: metadata)
            return Outcome(proven: false)
        }
        let start = ContinuousClock.now
        let proven: ProvenBlock
        do {
            proven = try prover.prove(job.block, preState: preState, strategy: .skip)
        } catch {
            metrics.recordProofFailure()
            logger.error("proving a block failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return Outcome(proven: false)
        }
        precondition(proven.claim.blockRoot == root, "the claim is about the block proven")
        precondition(proven.claim.postStateRoot == job.block.message.stateRoot, "an imported block's state root holds")
        do {
            try database.putProvenBlock(ProvenBlockRecord(slot: job.block.message.slot, proven: proven))
        } catch {
            metrics.recordProofFailure()
            logger.error("storing a proof failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return Outcome(proven: false)
        }
        let duration = ContinuousClock.now - start
        metrics.recordProof(duration)
        logger.debug("proved block", metadata: metadata.merging(["vm_steps": "\(proven.claim.vmSteps)", "duration": "\(duration)"]) { $1 })
        guard job.postStateUses > 0 else { return Outcome(proven: true) }
        // A second transition: BlockProver keeps its post-state to itself. Only stored blocks
        // whose children have no other parent state pay it.
        var postState = preState
        do { try postState.stateTransition(job.block, strategy: .skip) } catch {
            logger.error("re-executing a proven block failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return Outcome(proven: true)
        }
        precondition(postState.slot == job.block.message.slot, "a block's post-state is at its slot")
        return Outcome(proven: true, postState: postState)
    }

    /// Counts a stored block done and logs every ``backfillProgressEvery`` blocks and at the last.
    private func logStoredProgress(_ stored: (index: Int, count: Int), proven: Bool, worker: inout WorkerState) {
        precondition(stored.index < stored.count, "a position is inside its batch")
        if proven { worker.storedProven += 1 } else { worker.storedFailed += 1 }
        let done = stored.index + 1
        guard done % Self.backfillProgressEvery == 0 || done == stored.count else { return }
        logger.info(
            "prover: proving stored blocks without a proof",
            metadata: ["done": "\(done)", "of": "\(stored.count)", "proven": "\(worker.storedProven)", "failed": "\(worker.storedFailed)"])
        if done == stored.count {
            worker.storedProven = 0
            worker.storedFailed = 0
            worker.postStates = [:]
        }
    }
}

/// Why a node cannot prove with the key it was given.
public enum NodeProverError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The genesis file has no `prover_key`: the chain accepts no proofs.
    case genesisNamesNoProver
    /// The genesis names another prover than the key's public key.
    case proverKeyMismatch(genesis: PublicKey, key: PublicKey)

    public var description: String {
        switch self {
        case .genesisNamesNoProver:
            "the genesis file names no prover (no prover_key): this chain accepts no proofs"
        case let .proverKeyMismatch(genesis, key):
            "the genesis file names prover key \(genesis.hex), but the prover secret key's public key is \(key.hex)"
        }
    }
}
