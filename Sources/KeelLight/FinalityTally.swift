import KeelChain

/// The FFG votes a light node has seen in the blocks of one branch, each signature checked by the
/// light node itself: for each target checkpoint, the validators that voted for it.
///
/// A light node treats a checkpoint as justified only when these votes carry at least 2/3 of the
/// active stake (phase0 `process_justification_and_finalization`'s test), so a state root that a
/// proof vouches for cannot make it believe in finality that no supermajority signed.
public struct FinalityTally: Sendable {
    private var votes: [Checkpoint: Set<ValidatorIndex>] = [:]

    public init() {}

    /// Records `validator`'s vote for `target`.
    public mutating func record(_ validator: ValidatorIndex, target: Checkpoint) {
        votes[target, default: []].insert(validator)
    }

    /// Forgets votes for targets before `epoch` (those finality has passed).
    public mutating func prune(before epoch: Epoch) {
        votes = votes.filter { $0.key.epoch >= epoch }
    }

    /// The stake behind `target` and the stake it needs, weighed as phase0 weighs it in the
    /// epoch processing at the end of `epoch`: effective stakes in `registry` (the state that
    /// processing ran on), the voters unslashed and active at the target's epoch, the total over
    /// the validators active at `epoch`, each at least one increment (`get_total_balance`).
    public func support(for target: Checkpoint, registry: ChainState, epoch: Epoch) -> CheckpointSupport {
        let voters = (votes[target] ?? []).filter { index in
            guard registry.isValidValidatorIndex(index) else { return false }
            let validator = registry.validators[Int(index.rawValue)]
            return !validator.slashed && validator.isActiveValidator(target.epoch)
        }
        return CheckpointSupport(
            attestingStake: registry.getTotalBalance(voters),
            totalActiveStake: registry.getTotalBalance(registry.getActiveValidatorIndices(epoch)))
    }
}

/// The stake behind a checkpoint, and whether it is a supermajority.
public struct CheckpointSupport: Hashable, Sendable {
    public let attestingStake: Stake
    public let totalActiveStake: Stake

    /// phase0's `attesting * 3 >= total * 2` (``KeelChain/isSupermajority(_:of:)``); stakes too
    /// large to weigh are no supermajority.
    public var isSupermajority: Bool {
        (try? KeelChain.isSupermajority(attestingStake, of: totalActiveStake)) ?? false
    }
}
