import KeelChain
import KeelConsensus
import KeelCrypto

/// N validators on simulated time, in one process (DESIGN.md, KeelSim).
///
/// One `UInt64` seed feeds the single generator behind every random choice (latencies, losses),
/// events run in (time, insertion) order, and nothing reads a clock or iterates a hashed
/// collection where order matters: the same config replays the same run (STYLE.md item 14).
public struct Simulator {
    public let config: SimConfig
    var nodes: [SimNode]
    var network: SimNetwork
    var queue = EventQueue<SimEvent>()
    let genesis: ChainState
    let secretKeys: [SecretKey]
    let publicKeys: [PublicKey]
    let randaoChains: [HashChain]
    var revealsUsed: [UInt32]
    var protection: [SlashingProtectionHistory]
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

    public init(_ config: SimConfig) throws {
        precondition(config.validatorCount > 0 && config.nodeCount > 0 && config.nodeCount <= config.validatorCount)
        self.config = config
        let genesisConfig = DevnetGenesis.config(
            validatorCount: config.validatorCount, preset: config.preset, genesisTimeMs: 0,
            randaoChainLength: config.randaoChainLength)
        var genesis = try ChainState.genesis(genesisConfig)
        let genesisBlockRoot = genesis.genesisBlockRoot()
        self.genesis = genesis
        secretKeys = (0..<UInt64(config.validatorCount)).map { DevnetKeys.secretKey(validatorIndex: $0) }
        publicKeys = secretKeys.map(\.publicKey)
        randaoChains = (0..<UInt64(config.validatorCount)).map {
            DevnetGenesis.randaoChain(validatorIndex: $0, length: config.randaoChainLength)
        }
        revealsUsed = Array(repeating: 0, count: config.validatorCount)
        protection = Array(repeating: SlashingProtectionHistory(), count: config.validatorCount)
        nodes = (0..<config.nodeCount).map { SimNode(id: $0, genesis: genesis) }
        network = SimNetwork(config: config, random: SplitMix64(seed: config.seed))
        ledger.recordBlock(genesisBlockRoot, parent: .zero, slot: genesis.slot)
    }

    var slotsPerEpoch: UInt64 { config.preset.slotsPerEpoch }
    var strategy: SignatureStrategy { config.skipSignatures ? .skip : .verifyIndividually }
    func epoch(of slot: Slot) -> UInt64 { slot.rawValue / slotsPerEpoch }
    func startTime(of slot: Slot) -> UInt64 { slot.rawValue * config.slotMs }

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
                startSlot(slot, time: time)
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
                attest(slot, time: time)
            case let .deliver(node, sender, message):
                messagesDelivered += 1
                deliver(message, to: node, from: sender, time: time)
            }
        }
        return reports
    }

    /// The head state of `node`, for tests and reports.
    public func headState(node: Int) -> ChainState {
        nodes[node].store.state(nodes[node].store.getHead())!
    }

    public func finalizedCheckpoint(node: Int) -> Checkpoint { nodes[node].store.finalizedCheckpoint }
}
