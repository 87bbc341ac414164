import KeelChain
import KeelConsensus
import KeelCrypto

/// N node cores on simulated time, in one process (DESIGN.md, KeelSim): the same `NodeCore`
/// that `keel node` runs, with memory for storage, ``SimNetwork`` for sockets and an event
/// queue for the clock.
///
/// One `UInt64` seed feeds the single generator behind every random choice (latencies, losses,
/// forgeries), events run in (time, insertion) order, and nothing reads a clock or iterates a
/// hashed collection where order matters: the same config replays the same run (STYLE.md
/// item 14).
public struct Simulator {
    public let config: SimConfig
    /// One core per node; with ``SimConfig/forger`` the last one is the forger's follower.
    var cores: [NodeCore<SimSigner>]
    var network: SimNetwork
    var queue = EventQueue<SimEvent>()
    let genesis: ChainState
    var forger: Forger?
    /// Every block made and every checkpoint finalized in the run: the safety check.
    var ledger = FinalityLedger()
    /// The epoch in which each equivocator first misbehaved.
    public internal(set) var offenceEpochs: [Int: UInt64] = [:]
    public internal(set) var reports: [EpochReport] = []
    /// The first safety violation seen, if any: two conflicting finalized checkpoints.
    public internal(set) var safetyViolation: String?
    /// Counts for the run summary.
    public internal(set) var messagesDelivered = 0
    public internal(set) var blocksImported = 0
    /// Forged messages sent by the forger, and penalties honest cores gave it.
    public internal(set) var forgeriesSent = 0
    public internal(set) var forgerPenalties = 0
    /// Forged messages an honest core relayed, pooled or imported: must stay 0.
    public internal(set) var forgeriesAccepted = 0
    /// The digests of everything the forger sent.
    var forgedDigests: Set<Root> = []
    /// Per node, every block it imported, by root: the in-memory stand-in for the node's chain
    /// database, from which it answers requests for blocks its fork choice has pruned.
    var archives: [[Root: SignedBlock]] = []
    /// Per node, the digests of the gossip it has received this epoch and the last: what a
    /// node's message-ID cache holds, so a relayed copy is dropped before its core sees it.
    var seenGossip: [(current: Set<Root>, previous: Set<Root>)] = []

    /// How long a request waits for an answer that was lost before the core hears it failed.
    var requestTimeoutMs: UInt64 { 2 * config.slotMs }

    public init(_ config: SimConfig) throws {
        precondition(config.validatorCount > 0 && config.nodeCount > 0 && config.nodeCount <= config.validatorCount)
        self.config = config
        let genesisConfig = DevnetGenesis.config(
            validatorCount: config.validatorCount, preset: config.preset, genesisTimeMs: 0,
            randaoChainLength: config.randaoChainLength)
        var genesis = try ChainState.genesis(genesisConfig)
        let genesisBlockRoot = genesis.genesisBlockRoot()
        self.genesis = genesis
        let keys = SimKeys(validatorCount: config.validatorCount, skipSignatures: config.skipSignatures)
        var coreConfig = NodeCoreConfig()
        coreConfig.signatures = config.skipSignatures ? .skip : .verify
        coreConfig.sharedTransitions = config.shareTransitions ? SharedTransitions() : nil
        var cores: [NodeCore<SimSigner>] = []
        let nodeCount = config.nodeCount + (config.forger ? 1 : 0)
        for node in 0..<nodeCount {
            var chains: [ValidatorIndex: HashChain] = [:]
            if node < config.nodeCount {
                for validator in config.validators(of: node) {
                    chains[validator] = DevnetGenesis.randaoChain(validatorIndex: validator.rawValue, length: config.randaoChainLength)
                }
            }
            coreConfig.byzantine = node < config.nodeCount ? config.byzantineMode(of: node) : .none
            let signer = SimSigner(node: node, config: config, keys: keys, chains: chains)
            cores.append(NodeCore(anchorState: genesis, currentSlot: genesis.slot, signer: signer, config: coreConfig))
        }
        self.cores = cores
        seenGossip = Array(repeating: ([], []), count: cores.count)
        archives = Array(repeating: [:], count: cores.count)
        network = SimNetwork(config: config, random: SplitMix64(seed: config.seed))
        // The forger uses the keys the signers already derived (deriving them costs a scalar
        // multiplication each).
        forger = config.forger ? Forger(secretKeys: keys.secretKeys, publicKeys: keys.publicKeys, seed: config.seed ^ 0xF0F0_F0F0) : nil
        ledger.recordBlock(genesisBlockRoot, parent: .zero, slot: genesis.slot)
        // Every node knows every other from the start (a full mesh, as `keel testnet` makes).
        for node in cores.indices {
            for peer in cores.indices where peer != node {
                _ = self.cores[node].handle(.peerConnected(PeerID(UInt64(peer)), cores[peer].status))
            }
        }
    }

    var slotsPerEpoch: UInt64 { config.preset.slotsPerEpoch }
    func epoch(of slot: Slot) -> UInt64 { slot.rawValue / slotsPerEpoch }
    func startTime(of slot: Slot) -> UInt64 { slot.rawValue * config.slotMs }
    /// The forger's node index, if there is one.
    var forgerNode: Int? { config.forger ? config.nodeCount : nil }

    /// Runs every epoch, calling `report` after each, and returns the reports.
    /// The run stops early at the first safety violation.
    @discardableResult
    public mutating func run(report: (EpochReport) -> Void = { _ in }) -> [EpochReport] {
        queue.push(.slotStart(Slot(1)), at: startTime(of: Slot(1)))
        // One slot past the last epoch, so the last epoch's final votes are included.
        let lastSlot = Slot(config.epochs * slotsPerEpoch + 1)
        while let (time, event) = queue.pop(), safetyViolation == nil {
            switch event {
            case let .slotStart(slot):
                for node in cores.indices { perform(cores[node].handle(.slotStart(slot)), node: node, time: time) }
                if slot.rawValue % slotsPerEpoch == 0 { seenGossip = seenGossip.map { ([], $0.current) } }
                if slot.rawValue % slotsPerEpoch == 1 && slot.rawValue > 1 {
                    let line = makeReport(epoch: epoch(of: slot) - 1)
                    reports.append(line)
                    report(line)
                }
                if slot < lastSlot {
                    queue.push(.attestationDeadline(slot), at: time + config.slotMs / 3)
                    queue.push(.slotStart(Slot(slot.rawValue + 1)), at: time + config.slotMs)
                }
            case let .attestationDeadline(slot):
                for node in cores.indices { perform(cores[node].handle(.attestationDeadline(slot)), node: node, time: time) }
                forge(slot, time: time)
            case let .deliver(node, event):
                guard isFirstCopy(event, at: node) else { continue }
                messagesDelivered += 1
                perform(cores[node].handle(event), node: node, time: time)
            }
        }
        return reports
    }

    /// The head state of `node`, for tests and reports.
    public func headState(node: Int) -> ChainState { cores[node].headState }

    public func finalizedCheckpoint(node: Int) -> Checkpoint { cores[node].store.finalizedCheckpoint }

    /// The blocks `node` holds waiting for a parent.
    public func orphanCount(node: Int) -> Int { cores[node].orphanCount }
}
