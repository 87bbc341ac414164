import KeelChain
import KeelConsensus

/// An epoch interval `[from, to)` during which a fault is in force.
public struct EpochRange: Hashable, Sendable, CustomStringConvertible {
    public var from: UInt64
    public var to: UInt64

    public init(from: UInt64, to: UInt64) {
        precondition(from <= to, "an epoch range runs forward")
        self.from = from
        self.to = to
    }

    public func contains(_ epoch: UInt64) -> Bool { epoch >= from && epoch < to }
    public var description: String { "\(from)-\(to)" }
}

/// Everything that fixes a simulation run. Together with `seed`, it replays a run exactly.
public struct SimConfig: Hashable, Sendable {
    public var validatorCount: Int
    /// Nodes hosting the validators (validator `i` runs on node `i % nodeCount`).
    public var nodeCount: Int
    public var epochs: UInt64
    public var seed: UInt64
    /// The fraction of validators (by index, from 0) that is offline, and when.
    public var offlineFraction: Double
    public var offlineEpochs: EpochRange?
    /// When the nodes are split in two halves that cannot reach each other.
    public var partitionEpochs: EpochRange?
    /// Validators (the highest indices) that double-propose and double-vote.
    public var equivocatorCount: Int
    /// Mean one-way message latency; each delivery draws from [latency/2, 3·latency/2].
    public var latencyMs: UInt64
    /// The probability that a message is lost on its way to one receiver.
    public var lossProbability: Double
    /// Scale runs: no signatures are made or checked (consensus test suites do the same).
    public var skipSignatures: Bool
    /// An extra node, hosting no validator, that forges a message of every kind each slot
    /// (``Forger``); it needs signatures checked, so not with ``skipSignatures``.
    public var forger: Bool
    /// Whether the cores share block transitions (``SharedTransitions``): on by default; a run
    /// is the same either way, only faster and smaller with it.
    public var shareTransitions = true
    public var slotMs: UInt64
    public var preset: Preset
    /// Longest RANDAO hash chain needed: one reveal per proposal.
    public var randaoChainLength: UInt32

    public init(
        validatorCount: Int, nodeCount: Int? = nil, epochs: UInt64, seed: UInt64, offlineFraction: Double = 0,
        offlineEpochs: EpochRange? = nil, partitionEpochs: EpochRange? = nil, equivocatorCount: Int = 0,
        latencyMs: UInt64 = 50, lossProbability: Double = 0, skipSignatures: Bool = false, forger: Bool = false,
        slotMs: UInt64 = 1000, preset: Preset = .devnet
    ) {
        precondition(!(forger && skipSignatures), "forgeries are caught by signature checks, which a scale run skips")
        self.validatorCount = validatorCount
        self.nodeCount = nodeCount ?? min(validatorCount, 8)
        self.epochs = epochs
        self.seed = seed
        self.offlineFraction = offlineFraction
        self.offlineEpochs = offlineEpochs
        self.partitionEpochs = partitionEpochs
        self.equivocatorCount = equivocatorCount
        self.latencyMs = latencyMs
        self.lossProbability = lossProbability
        self.skipSignatures = skipSignatures
        self.forger = forger
        self.slotMs = slotMs
        self.preset = preset
        // Every validator could propose every slot in the worst case; real use is ~slots/N each.
        let slots = (epochs + 2) * preset.slotsPerEpoch
        self.randaoChainLength = UInt32(clamping: max(8, slots))
    }

    /// Validators offline in `epoch`: the first `offlineFraction · N` by index.
    public func isOffline(_ validator: Int, epoch: UInt64) -> Bool {
        guard let range = offlineEpochs, range.contains(epoch) else { return false }
        return Double(validator) < offlineFraction * Double(validatorCount)
    }

    public func isEquivocator(_ validator: Int) -> Bool { validator >= validatorCount - equivocatorCount }

    public func node(of validator: Int) -> Int { validator % nodeCount }

    /// The validators `node` hosts.
    public func validators(of node: Int) -> [ValidatorIndex] {
        stride(from: node, to: validatorCount, by: nodeCount).map { ValidatorIndex(UInt64($0)) }
    }

    /// The equivocators `node` hosts, as its core's byzantine mode.
    public func byzantineMode(of node: Int) -> ByzantineMode {
        let equivocators = validators(of: node).filter { isEquivocator(Int($0.rawValue)) }
        return equivocators.isEmpty ? .none : .validators(Set(equivocators))
    }
}
