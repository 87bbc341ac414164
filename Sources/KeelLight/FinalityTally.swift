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

    /// The stake behind `target` and the stake it needs, weighed as phase0 weighs the epoch
    /// processing that justifies it: effective stakes in `registry` (the state the epoch
    /// processing ran on), unslashed voters, validators active at `epoch` for the total.
    public func support(for target: Checkpoint, registry: ChainState, epoch: Epoch) -> CheckpointSupport {
        let voters = (votes[target] ?? []).filter { registry.isValidValidatorIndex($0) && !registry.validators[Int($0.rawValue)].slashed }
        let attesting = registry.getTotalBalance(voters)
        let total = registry.getTotalBalance(registry.getActiveValidatorIndices(epoch))
        return CheckpointSupport(attestingStake: voters.isEmpty ? .zero : attesting, totalActiveStake: total)
    }
}

/// The stake behind a checkpoint, and whether it is a supermajority.
public struct CheckpointSupport: Hashable, Sendable {
    public let attestingStake: Stake
    public let totalActiveStake: Stake

    /// phase0: `attesting * 3 >= total * 2`.
    public var isSupermajority: Bool {
        attestingStake.rawValue.multipliedFullWidth(by: 3) >= totalActiveStake.rawValue.multipliedFullWidth(by: 2)
    }
}
