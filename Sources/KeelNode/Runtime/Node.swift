import Foundation
import KeelChain
import KeelConsensus
import KeelCrypto
import Logging

/// A running Keel node: a thin shell around one ``NodeCore`` (KeelConsensus), which holds all
/// of its consensus logic: fork choice, the pools, the slashing detector, sync decisions and
/// validator duties. The same core runs in `keel sim`.
///
/// The shell turns the outside world into the core's events (the wall clock into slot ticks,
/// decoded peer messages into gossip, request answers, peers coming and going) and carries out
/// the actions the core returns: SwiftNIO for sending and requests, SQLite for blocks, the
/// finalized anchor and slashing protection (recorded before every signature, through
/// ``ValidatorClient``), swift-log and swift-metrics for notes.
///
/// - Important: An actor: every method runs isolated; network requests are awaited, so state
///   may change across them (each import re-checks what it needs).
public actor Node {
    /// The configuration the node started with.
    public nonisolated let config: NodeConfig
    /// The chain's genesis root.
    public nonisolated let genesisRoot: Root
    /// Wall clock to slots.
    public nonisolated let clock: SlotClock
    /// This node's random identifier in hellos.
    public nonisolated let nodeID: UInt64
    /// The metrics this node updates; an API server over this node serves the same instance.
    public nonisolated let metrics: NodeMetrics
    /// The node's event stream (`GET /events`): the core's chain events and included
    /// transactions' receipts.
    public nonisolated let events = EventHub()
    let logger: Logger
    nonisolated let chainDatabase: ChainDatabase
    let protectionDatabase: SlashingProtectionDatabase
    let providerReference = NodeReference()
    /// The fault layer of a testnet node (``NodeConfig/faultTable``), nil otherwise.
    public nonisolated let faults: LinkFaults?
    /// The proving worker of a prover node (``NodeConfig/proverSecretKey``), nil otherwise.
    public nonisolated let prover: NodeProver?
    /// The task running ``NodeProver/run()``, once started; apart from ``tasks`` because
    /// shutdown lets it drain instead of cancelling it.
    var proverTask: Task<Void, Never>?

    /// The node's consensus logic; its store, pools and queues live here.
    var core: NodeCore<ValidatorClient>
    var network: PeerNetwork?
    /// The port listened on, once started.
    public private(set) var listenPort = 0
    var tasks: [Task<Void, Never>] = []
    var isShutDown = false
    /// The HTTP API's bound port, once its server listens (for the status file).
    public internal(set) var apiPort: Int?
    /// The most recent warning or error this node logged, for the status file's `last_error`.
    public internal(set) var lastError: String?

    var lastDutySlot: (started: Slot?, attested: Slot?) = (nil, nil)

    static let canonicalWalkMax = 1 << 16
    /// How long shutdown waits for the prover to prove what is queued.
    static let proverDrainTimeoutMs: UInt64 = 10_000
    /// The most stored blocks without a proof queued at one start (the rest wait for the next;
    /// the live imports keep the rest of the queue).
    static let proverStoredCountMax = NodeProver.queueCountMax / 4

    /// Opens the data directory and builds the store: from the stored anchor if there is one
    /// (a restart), else from genesis; then replays the stored blocks above the anchor.
    ///
    /// - Parameters:
    ///   - config: What to run.
    ///   - clock: The slot clock; by default the system clock with the config's genesis time.
    ///   - logger: Where the node logs (label "keel.node" by default).
    ///   - metrics: Where the node records its metrics; a fresh instance by default. Pass the
    ///     one an `APIServer` serves, or read ``metrics`` to build the server.
    /// - Throws: Database and genesis errors, as they are; ``NodeProverError`` when
    ///   ``NodeConfig/proverSecretKey`` is not the prover the genesis names.
    public init(
        config: NodeConfig, clock: SlotClock? = nil, logger: Logger = Logger(label: "keel.node"),
        metrics: NodeMetrics = NodeMetrics()
    ) throws {
        // Before anything touches the disk: a prover with the wrong key must not start at all.
        if let key = config.proverSecretKey { try NodeProver.check(secretKey: key, genesis: config.genesis) }
        if let (path, node) = config.faultTable {
            let table = try FaultTable.load(path: path)
            guard node >= 0, node < table.ports.count else { throw FaultTableError("\(path): no node \(node) in its ports") }
            faults = LinkFaults(node: node, table: table)
        } else {
            faults = nil
        }
        let genesis = try ChainState.genesis(config.genesis.config)
        let genesisRoot = config.genesis.genesisRoot
        let directory = URL(fileURLWithPath: config.dataDirectory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let chainDatabase = try ChainDatabase.open(
            path: directory.appendingPathComponent(ChainDatabase.fileName).path, genesisRoot: genesisRoot)
        let protectionDatabase = try SlashingProtectionDatabase.open(
            path: directory.appendingPathComponent(SlashingProtectionDatabase.fileName).path, genesisRoot: genesisRoot)
        let clock = clock ?? SlotClock(genesisTimeMs: config.genesisTimeMs, slotMs: config.genesis.slotMs)
        var anchorState = genesis
        if let anchor = try chainDatabase.anchor(), let state = try chainDatabase.state(blockRoot: anchor.blockRoot) {
            anchorState = state
        }
        let validators = ValidatorClient(
            keys: config.runValidatorKeys, randaoChainLength: config.genesis.randaoChainLength, protection: protectionDatabase)
        var coreConfig = NodeCoreConfig()
        coreConfig.byzantine = config.byzantine ? .all : .none
        coreConfig.verifyBatch = { sets in ParallelSignatureVerifier.verifyAll(sets) }
        var core = NodeCore(anchorState: anchorState, currentSlot: clock.currentSlot, signer: validators, config: coreConfig)
        if try chainDatabase.anchor() == nil {
            let anchorRoot = core.store.finalizedCheckpoint.root
            try chainDatabase.putState(blockRoot: anchorRoot, state: anchorState)
            try chainDatabase.setAnchor(ForkChoiceAnchor(
                blockRoot: anchorRoot, finalized: core.store.finalizedCheckpoint, justified: core.store.justifiedCheckpoint))
        }
        let replayed = Self.replay(chainDatabase, into: &core, fromSlot: Slot(anchorState.slot.rawValue + 1))
        if let key = config.proverSecretKey {
            let prover = try NodeProver(
                secretKey: key, genesis: config.genesis, database: chainDatabase, metrics: metrics,
                logger: Logger(label: "keel.prover"), proofSystem: config.proofSystem)
            self.prover = prover
            logger.info(
                "prover: proving every imported block",
                metadata: ["system": "\(prover.system.systemID)", "guarantee": "\(prover.system.guarantee)"])
        } else {
            self.prover = nil
        }
        self.config = config
        self.genesisRoot = genesisRoot
        self.clock = clock
        self.nodeID = UInt64.random(in: 1...UInt64.max)
        self.metrics = metrics
        self.logger = logger
        self.chainDatabase = chainDatabase
        self.protectionDatabase = protectionDatabase
        self.core = core
        metrics.setHeadSlot(core.head.slot)
        metrics.setCheckpoints(justified: core.store.justifiedCheckpoint, finalized: core.store.finalizedCheckpoint)
        logger.info(
            "node ready",
            metadata: [
                "anchor_slot": "\(anchorState.slot)", "replayed": "\(replayed)", "head": "\(core.head.root.hex)",
                "finalized_epoch": "\(core.store.finalizedCheckpoint.epoch)",
                "validators": "\(config.runValidatorKeys.keys.sorted().map(\.rawValue))",
            ])
    }

    /// Replays the stored blocks from `fromSlot` on, in slot order, into `core`.
    ///
    /// - Returns: How many blocks the core took.
    private static func replay(_ database: ChainDatabase, into core: inout NodeCore<ValidatorClient>, fromSlot: Slot) -> Int {
        var next = fromSlot
        var replayed = 0
        let currentSlot = core.store.currentSlot
        while next <= currentSlot {
            let batch = (try? database.blocks(fromSlot: next, toSlot: currentSlot)) ?? []
            guard let last = batch.last else { break }
            for block in batch where core.replay(block) { replayed += 1 }
            next = Slot(last.message.slot.rawValue + 1)
        }
        precondition(replayed >= 0, "a count is never negative")
        return replayed
    }

    /// Starts the network, the event loop and the slot ticker.
    ///
    /// - Returns: The port listened on.
    /// - Throws: Whatever binding the socket throws.
    @discardableResult
    public func start() async throws -> Int {
        precondition(network == nil, "a node starts once")
        precondition(proverTask == nil, "a node starts once")
        providerReference.node = self
        if let prover {
            // Detached: proving is CPU work that must not run on (and hold) the node's actor.
            proverTask = Task.detached { await prover.run() }
            // Before the network: the stored blocks go ahead of every new import.
            submitStoredBlocksForProving()
        }
        var networkConfig = PeerNetworkConfig(genesisRoot: genesisRoot, nodeID: nodeID)
        networkConfig.listenHost = config.listenHost
        networkConfig.listenPort = config.listenPort
        networkConfig.bootstrapPeers = config.peers
        networkConfig.requestTimeoutMs = config.requestTimeoutMs
        networkConfig.redialDelayMsMax = 2_000
        networkConfig.faults = faults
        let network = PeerNetwork(
            config: networkConfig, status: chainStatus, provider: StoreBlockProvider(node: providerReference),
            logger: Logger(label: "keel.p2p"))
        self.network = network
        listenPort = try await network.start()
        tasks.append(Task { [weak self] in
            for await event in network.events {
                guard let self else { return }
                await self.handle(event)
            }
        })
        tasks.append(Task { [weak self] in
            await self?.runClock()
        })
        if let faults, let (path, _) = config.faultTable {
            tasks.append(Task { [weak self] in await self?.watchFaultTable(path: path, faults: faults) })
        }
        return listenPort
    }

    /// Stops the ticker and the network, lets the prover prove what is queued (at most
    /// ``proverDrainTimeoutMs``) and closes the databases.
    public func shutdown() async {
        guard !isShutDown else { return }
        isShutDown = true
        events.close()
        for task in tasks { task.cancel() }
        await network?.shutdown()
        for task in tasks { _ = await task.value }
        tasks = []
        // After the imports stop, before the database closes: nothing queued is dropped.
        await drainProver()
        chainDatabase.close()
        protectionDatabase.close()
        logger.info("node stopped")
    }

    /// Ends the prover's queue and waits for it to drain (at most ``proverDrainTimeoutMs``);
    /// logs how many blocks were left unproven, which the next start proves.
    private func drainProver() async {
        guard let prover else { return }
        guard let worker = proverTask else {
            // Never started, so no worker: what was queued (imports before `start`) stays
            // unproven in the database, and the next start proves it.
            prover.finish()
            return
        }
        proverTask = nil
        let queued = prover.pendingCount
        let start = ContinuousClock.now
        let left = await prover.drain(worker: worker, timeoutMs: Self.proverDrainTimeoutMs)
        precondition(left >= 0, "a count is never negative")
        if left > 0 {
            logProblem(
                .warning, "prover: stopped with blocks unproven; they are proven at the next start",
                metadata: ["unproven": "\(left)", "proven": "\(max(0, queued - left))", "timeout_ms": "\(Self.proverDrainTimeoutMs)"])
        } else if queued > 0 {
            logger.info("prover: proved the queued blocks before stopping", metadata: ["blocks": "\(queued)", "duration": "\(ContinuousClock.now - start)"])
        }
    }

    /// The head and finalized checkpoint, as announced to peers.
    var chainStatus: ChainStatus { core.status }

    /// The store's finalized checkpoint.
    public var finalizedCheckpoint: Checkpoint { core.store.finalizedCheckpoint }

    /// The store's justified checkpoint.
    public var justifiedCheckpoint: Checkpoint { core.store.justifiedCheckpoint }

    /// The head block's root and slot.
    public var head: (root: Root, slot: Slot) { core.head }

    /// Whether a range sync runs.
    var isSyncing: Bool { core.isSyncing }

    // MARK: Clock

    /// Runs slot starts and attestation deadlines (a third into each slot) until cancelled.
    private func runClock() async {
        while !Task.isCancelled {
            let now = clock.nowMs()
            let slot = clock.slot(atMs: now)
            let start = clock.startMs(of: slot)
            let third = start + clock.slotMs / 3
            if slot.rawValue > 0 && lastDutySlot.started != slot {
                lastDutySlot.started = slot
                onSlotStart(slot)
            }
            if slot.rawValue > 0 && now >= third && lastDutySlot.attested != slot {
                lastDutySlot.attested = slot
                attest(slot)
            }
            let wake = lastDutySlot.attested == slot || slot.rawValue == 0 ? clock.startMs(of: Slot(slot.rawValue + 1)) : third
            let waitMs = max(1, clock.msUntil(wake))
            try? await Task.sleep(nanoseconds: waitMs * 1_000_000)
        }
    }

    /// A slot begins: the core ticks, retries what waited for time and proposes if it is ours.
    private func onSlotStart(_ slot: Slot) {
        handleTimed(.slotStart(slot))
        recordChainMetrics()
        writeStatusFile(slot)
    }

    /// A third into `slot`: the core's validators in the slot's committee vote.
    func attest(_ slot: Slot) {
        handleTimed(.attestationDeadline(slot))
        writeStatusFile(slot)
    }
}
