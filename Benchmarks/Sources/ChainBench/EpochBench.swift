import BenchSupport
import KeelChain

/// Epoch processing: a devnet state at the last slot of an epoch in which every validator's
/// committee attested on time with the right source, target and head, and whose blocks included
/// those votes. Built with signatures off (the timed code checks none), so it takes seconds.
struct EpochBench {
    let validatorCount: Int
    /// The state at the last slot of epoch `epoch`.
    let pre: ChainState
    let epoch: UInt64
    let buildSeconds: Double

    /// Drives the chain from genesis through the last slot of `epoch` (at least 2, so that the
    /// boundary has a full previous epoch and justification under way).
    init(validatorCount: Int, epoch: UInt64) throws {
        precondition(epoch >= 1, "epoch 0 has no previous epoch to reward")
        let start = Clock.wall()
        var driver = try DevnetDriver(validatorCount: validatorCount, signs: false)
        let lastSlot = (epoch + 1) * driver.state.preset.slotsPerEpoch - 1
        for slot in 1...lastSlot { try driver.advance(to: Slot(slot)) }
        self.validatorCount = validatorCount
        self.pre = driver.state
        self.epoch = epoch
        self.buildSeconds = Double(Clock.wall() - start) / 1e9
    }

    var previousEpochAttestations: Int { pre.previousEpochAttestations.count }
    var currentEpochAttestations: Int { pre.currentEpochAttestations.count }
    var boundary: Slot { Slot(pre.slot.rawValue + 1) }

    /// The steps of `processEpoch`, in its order, for the breakdown.
    static let steps: [(name: String, run: @Sendable (inout ChainState) throws -> Void)] = [
        ("justification and finalization", { try $0.processJustificationAndFinalization() }),
        ("rewards and penalties", { try $0.processRewardsAndPenalties() }),
        ("registry updates", { $0.processRegistryUpdates() }),
        ("slashings", { $0.processSlashings() }),
        ("withdrawals", { $0.processWithdrawals() }),
        ("effective balance updates", { $0.processEffectiveBalanceUpdates() }),
        ("slashings reset", { $0.processSlashingsReset() }),
        ("RANDAO mixes reset", { $0.processRandaoMixesReset() }),
        ("participation record updates", { $0.processParticipationRecordUpdates() }),
    ]

    struct Result {
        /// `processSlots` across the boundary on a fresh copy: the slot's state root, the
        /// copy-on-write of the registry, and `processEpoch`.
        var processSlots: [Double] = []
        /// `processSlot` alone: the state root of the slot that ends (every field leaf re-hashed,
        /// including the pending-attestation lists) and the root caches.
        var processSlot: [Double] = []
        /// `processEpoch` alone, on a copy whose registry was made unique beforehand.
        var processEpoch: [Double] = []
        /// `hashTreeRoot()` of the state after the boundary: every leaf the epoch touched.
        var stateRoot: [Double] = []
        /// Per step of `processEpoch`, run one by one.
        var steps: [[Double]] = Array(repeating: [], count: EpochBench.steps.count)
        /// Validators whose record (balance, effective stake, ...) the epoch changed.
        var validatorsChanged = 0
        var justifiedEpoch: UInt64 = 0
        var finalizedEpoch: UInt64 = 0
    }

    /// Thread CPU times of `runs` rounds after one warm-up round.
    func measure(runs: Int) throws -> Result {
        var result = Result()
        var reference: ChainState? = nil
        for round in -1..<runs {
            // processSlots, then the post-epoch state root.
            var state = pre
            var start = Clock.threadCPU()
            try state.processSlots(boundary)
            let elapsed = Double(Clock.threadCPU() - start)
            start = Clock.threadCPU()
            let root = state.hashTreeRoot()
            let rootElapsed = Double(Clock.threadCPU() - start)

            // processEpoch alone. Adding zero to validator 0's balance makes the registry unique (and
            // touches a leaf the epoch rewrites anyway).
            var alone = pre
            alone.increaseBalance(ValidatorIndex(0), .zero)
            _ = alone.hashTreeRoot()  // the touched validator 0, so processSlot's root re-hashes only fields
            start = Clock.threadCPU()
            alone.processSlot()
            let slotElapsed = Double(Clock.threadCPU() - start)
            start = Clock.threadCPU()
            try alone.processEpoch()
            let epochElapsed = Double(Clock.threadCPU() - start)

            // The same steps one by one; the result must equal processEpoch's.
            var stepped = pre
            stepped.processSlot()
            stepped.increaseBalance(ValidatorIndex(0), .zero)
            var stepTimes: [Double] = []
            for step in Self.steps {
                start = Clock.threadCPU()
                try step.run(&stepped)
                stepTimes.append(Double(Clock.threadCPU() - start))
            }
            alone.slot = boundary
            stepped.slot = boundary
            guard alone.hashTreeRoot() == root, stepped.hashTreeRoot() == root else {
                throw BenchError("processEpoch, processSlots and the step-by-step breakdown disagree on the post-epoch root "
                    + "(has processEpoch's list of steps changed? see EpochBench.steps)")
            }
            if reference == nil { reference = state }
            guard round >= 0 else { continue }
            result.processSlots.append(elapsed)
            result.stateRoot.append(rootElapsed)
            result.processEpoch.append(epochElapsed)
            result.processSlot.append(slotElapsed)
            for (index, time) in stepTimes.enumerated() { result.steps[index].append(time) }
        }
        if let post = reference {
            result.validatorsChanged = zip(pre.validators, post.validators).filter { $0 != $1 }.count
            result.justifiedEpoch = post.currentJustifiedCheckpoint.epoch.rawValue
            result.finalizedEpoch = post.finalizedCheckpoint.epoch.rawValue
        }
        return result
    }
}
