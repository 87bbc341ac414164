import Dispatch
import KeelChain
import KeelCrypto
import KeelProof
import Logging

/// A prover node's proving worker: proves each block the node imports, off the node's actor,
/// and stores what it made in the chain database, from which the API serves it.
///
/// The node hands each imported block over with its parent's post-state (``submit(_:preState:)``,
/// which never blocks); one task proves them in order (``run()``) on a dispatch queue of its own. Proving re-executes the block
/// with a trace and cuts two witnesses, about the cost of an import, so a slow prover lags
/// behind the head instead of stalling imports and duties. The queue is bounded
/// (``queueCountMax``); a block that does not fit is dropped, logged and counted as a failure.
///
/// - Important: The proof system is the **STUB** ``StubSignedClaimProofSystem``: a proof is the
///   prover's signature over the claim and proves nothing about execution (see its
///   ``ProofSystem/guarantee``).
public final class NodeProver: Sendable {
    /// The most blocks waiting to be proven (a sync of 64-block batches fits many times over).
    public static let queueCountMax = 1_024

    /// The proof system proofs are made in.
    public let system: StubSignedClaimProofSystem
    private let prover: BlockProver
    private let database: ChainDatabase
    private let metrics: NodeMetrics
    private let logger: Logger
    private let jobs: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    /// Where proofs are computed: a thread of its own rather than the concurrency pool, whose
    /// few threads (one per core) the node's actor, its network events and the API share.
    private let queue = DispatchQueue(label: "keel.prover", qos: .utility)

    private struct Job: Sendable {
        var block: SignedBlock
        var preState: ChainState
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
    init(secretKey: SecretKey, genesis: GenesisFile, database: ChainDatabase, metrics: NodeMetrics, logger: Logger)
        throws(NodeProverError)
    {
        try Self.check(secretKey: secretKey, genesis: genesis)
        system = StubSignedClaimProofSystem(proverSecretKey: secretKey, genesisRoot: genesis.genesisRoot)
        precondition(system.proverKey == genesis.proverKey, "the prover proves under the key genesis names")
        prover = BlockProver(system: system)
        self.database = database
        self.metrics = metrics
        self.logger = logger
        (jobs, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .bufferingOldest(Self.queueCountMax))
    }

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
        switch continuation.yield(Job(block: block, preState: preState)) {
        case .enqueued, .terminated:
            return
        case .dropped:
            metrics.recordProofFailure()
            logger.error(
                "proving queue full: block not proven",
                metadata: ["slot": "\(block.message.slot)", "root": "\(block.message.hashTreeRoot.hex.prefix(16))"])
        @unknown default:
            return
        }
    }

    /// Proves queued blocks in order until ``finish()`` (after the queue drains) or cancellation.
    func run() async {
        for await job in jobs {
            if Task.isCancelled { return }
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                queue.async {
                    self.prove(job)
                    done.resume()
                }
            }
        }
    }

    /// Ends ``run()`` once the blocks already queued are done.
    func finish() { continuation.finish() }

    private func prove(_ job: Job) {
        let root = job.block.message.hashTreeRoot
        let metadata: Logger.Metadata = ["slot": "\(job.block.message.slot)", "root": "\(root.hex.prefix(16))"]
        let start = ContinuousClock.now
        let proven: ProvenBlock
        do {
            proven = try prover.prove(job.block, preState: job.preState, strategy: .skip)
        } catch {
            metrics.recordProofFailure()
            logger.error("proving a block failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return
        }
        precondition(proven.claim.blockRoot == root, "the claim is about the block proven")
        precondition(proven.claim.postStateRoot == job.block.message.stateRoot, "an imported block's state root holds")
        do {
            try database.putProvenBlock(ProvenBlockRecord(slot: job.block.message.slot, proven: proven))
        } catch {
            metrics.recordProofFailure()
            logger.error("storing a proof failed", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return
        }
        let duration = ContinuousClock.now - start
        metrics.recordProof(duration)
        logger.debug("proved block", metadata: metadata.merging(["vm_steps": "\(proven.claim.vmSteps)", "duration": "\(duration)"]) { $1 })
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
