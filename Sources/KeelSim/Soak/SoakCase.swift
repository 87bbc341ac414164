import KeelChain

/// One seeded random simulation of the soak: faults mixed from every kind the simulator has
/// (offline validators, a partition, message loss and latency, equivocators under a third of
/// the stake, a forger), all healed by ``healEpoch``, and the run long enough after that for
/// finality to resume.
public struct SoakCase: Hashable, Sendable {
    public let config: SimConfig
    /// The first epoch with every fault healed (offline validators back, partition gone).
    public let healEpoch: UInt64
    /// Epochs after ``healEpoch`` within which something at or after it must be finalized:
    /// long enough for equivocators (slashed, but counted in the active stake until they exit)
    /// to leave, or for the inactivity leak to start.
    public static let livenessEpochsMax: UInt64 = 8

    /// A case from its run and heal epoch (a failing reproduce line kept as a regression test).
    public init(config: SimConfig, healEpoch: UInt64) {
        self.config = config
        self.healEpoch = healEpoch
    }

    /// The `keel sim` command line that replays this run exactly.
    public var reproduceLine: String {
        var line = "keel sim --validators \(config.validatorCount) --nodes \(config.nodeCount) --epochs \(config.epochs)"
            + " --seed \(config.seed) --latency-ms \(config.latencyMs) --loss \(config.lossProbability)"
        if let range = config.offlineEpochs { line += " --offline \(config.offlineFraction)@\(range)" }
        if let range = config.partitionEpochs { line += " --partition \(range)" }
        if config.equivocatorCount > 0 { line += " --equivocators \(config.equivocatorCount)" }
        if config.skipSignatures { line += " --skip-signatures" }
        if config.forger { line += " --forger" }
        return line
    }

    /// The case numbered `index` of the soak seeded by `seed`: every draw comes from one
    /// generator seeded by both, so a case is the same whatever else runs.
    public static func make(index: UInt64, seed: UInt64) -> SoakCase {
        var random = SplitMix64(seed: seed ^ (index &* 0x9E37_79B9_7F4A_7C15))
        // One run in five checks real signatures, with a forger; the rest skip them for speed.
        let signed = random.next() % 5 == 0
        let validators = Int.random(in: signed ? 4...8 : 4...12, using: &random)
        // Three nodes at least: two nodes of half the stake each, under loss that never heals,
        // can split phase0 fork choice for good (each side always has its own votes and misses
        // some of the other's; phase0 has no proposer boost), which is no fault of a node.
        let nodes = Int.random(in: 3...min(signed ? 4 : 6, validators), using: &random)
        let offlineFraction = Double(Int.random(in: 0...5, using: &random)) / 10
        let offline: EpochRange? = Bool.random(using: &random) ? EpochRange(from: 1, to: UInt64.random(in: 2...4, using: &random)) : nil
        var partition: EpochRange? = nil
        if Bool.random(using: &random) {
            let start = UInt64.random(in: 0...4, using: &random)
            partition = EpochRange(from: start, to: start + UInt64.random(in: 1...3, using: &random))
        }
        let heal = max(offline?.to ?? 0, partition?.to ?? 0, 1)
        let config = SimConfig(
            validatorCount: validators, nodeCount: nodes, epochs: heal + livenessEpochsMax + 1, seed: random.next(),
            offlineFraction: offline == nil ? 0 : offlineFraction, offlineEpochs: offline, partitionEpochs: partition,
            equivocatorCount: Int.random(in: 0...((validators - 1) / 3), using: &random),
            latencyMs: UInt64.random(in: 0...6, using: &random) * 100, lossProbability: Double(Int.random(in: 0...2, using: &random)) / 10,
            skipSignatures: !signed, forger: signed)
        return SoakCase(config: config, healEpoch: heal)
    }

    /// Runs the case and returns what went wrong: a safety violation, a forgery accepted, or
    /// finality that did not resume within ``livenessEpochsMax`` epochs of the heal.
    public func run() throws -> [String] {
        var simulator = try Simulator(config)
        let reports = simulator.run()
        var failures: [String] = []
        if let violation = simulator.safetyViolation { failures.append("safety: \(violation)") }
        if simulator.forgeriesAccepted > 0 { failures.append("trust boundary: \(simulator.forgeriesAccepted) forged messages accepted") }
        let deadline = healEpoch + Self.livenessEpochsMax
        let resumed = reports.contains { $0.epoch <= deadline && $0.finalizedEpoch >= healEpoch }
        if !resumed {
            let finalized = reports.last?.finalizedEpoch ?? 0
            failures.append("liveness: nothing at or after epoch \(healEpoch) finalized by epoch \(deadline) (last finalized \(finalized))")
        }
        return failures
    }
}
