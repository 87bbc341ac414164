extension ChainState {
    /// phase0 `process_rewards_and_penalties`: apply the attestation deltas of the previous
    /// epoch (none at the end of the genesis epoch: there was no previous epoch to reward).
    public mutating func processRewardsAndPenalties() throws(EpochProcessingError) {
        guard getCurrentEpoch() != Constants.genesisEpoch else { return }
        let (rewards, penalties) = try getAttestationDeltas()
        precondition(rewards.count == validators.count && penalties.count == validators.count)
        for index in validators.indices where rewards[index] != 0 || penalties[index] != 0 {
            increaseBalance(ValidatorIndex(UInt64(index)), Stake(rewards[index]))
            decreaseBalance(ValidatorIndex(UInt64(index)), Stake(penalties[index]))
        }
    }

    /// phase0 `get_attestation_deltas`: the sum of the source, target, head, inclusion-delay
    /// and inactivity-penalty deltas, in base units per validator.
    func getAttestationDeltas() throws(EpochProcessingError) -> (rewards: [UInt64], penalties: [UInt64]) {
        let previous = try attestationParticipation(getPreviousEpoch())
        let context = RewardContext(state: self)
        var rewards = Array(repeating: UInt64(0), count: validators.count)
        var penalties = Array(repeating: UInt64(0), count: validators.count)
        for (flags, balance) in [(previous.source, previous.sourceBalance), (previous.target, previous.targetBalance),
                                 (previous.head, previous.headBalance)] {
            applyComponentDeltas(context, flags, balance, &rewards, &penalties)
        }
        applyInclusionDelayDeltas(context, previous, &rewards)
        applyInactivityPenaltyDeltas(context, previous, &penalties)
        return (rewards, penalties)
    }

    /// phase0 `get_attestation_component_deltas`.
    private func applyComponentDeltas(
        _ context: RewardContext, _ attesting: [Bool], _ attestingBalance: Stake,
        _ rewards: inout [UInt64], _ penalties: inout [UInt64]
    ) {
        let increment = preset.effectiveStakeIncrement.rawValue
        for index in context.eligible {
            let baseReward = context.baseReward(index)
            if attesting[index] {
                if context.isInInactivityLeak {
                    // Optimal participation during a leak is worth exactly the inactivity penalty.
                    rewards[index] += baseReward
                } else {
                    let numerator = baseReward * (attestingBalance.rawValue / increment)
                    rewards[index] += numerator / (context.totalBalance / increment)
                }
            } else {
                penalties[index] += baseReward
            }
        }
    }

    /// phase0 `get_inclusion_delay_deltas`: the includer earns the proposer reward, the attester
    /// the rest of its base reward divided by how late it was included.
    private func applyInclusionDelayDeltas(
        _ context: RewardContext, _ previous: AttestationParticipation, _ rewards: inout [UInt64]
    ) {
        for index in validators.indices where previous.source[index] {
            let attestation = previous.earliest[index]!
            let proposerReward = context.baseReward(index) / preset.proposerRewardQuotient
            rewards[Int(attestation.proposerIndex.rawValue)] += proposerReward
            let maxAttesterReward = context.baseReward(index) - proposerReward
            rewards[index] += maxAttesterReward / attestation.inclusionDelay.rawValue
        }
    }

    /// phase0 `get_inactivity_penalty_deltas`: during a leak, cancel rewards and charge those who
    /// missed the target a penalty that grows with the finality delay.
    private func applyInactivityPenaltyDeltas(
        _ context: RewardContext, _ previous: AttestationParticipation, _ penalties: inout [UInt64]
    ) {
        guard context.isInInactivityLeak else { return }
        for index in context.eligible {
            let baseReward = context.baseReward(index)
            penalties[index] += preset.baseRewardsPerEpoch * baseReward - baseReward / preset.proposerRewardQuotient
            if !previous.target[index] {
                let effective = validators[index].effectiveStake.rawValue
                penalties[index] += effective * context.finalityDelay / preset.inactivityPenaltyQuotient
            }
        }
    }
}

/// What every reward computation of one epoch shares (computed once, not per validator).
struct RewardContext {
    let totalBalance: UInt64
    let totalBalanceSquareRoot: UInt64
    let finalityDelay: UInt64
    let isInInactivityLeak: Bool
    /// phase0 `get_eligible_validator_indices`.
    let eligible: [Int]
    let effectiveStakes: [UInt64]
    let baseRewardFactor: UInt64
    let baseRewardsPerEpoch: UInt64

    init(state: ChainState) {
        totalBalance = state.getTotalActiveBalance().rawValue
        totalBalanceSquareRoot = integerSquareRoot(totalBalance)
        // phase0 `get_finality_delay` and `is_in_inactivity_leak`.
        finalityDelay = state.getPreviousEpoch().rawValue - state.finalizedCheckpoint.epoch.rawValue
        isInInactivityLeak = finalityDelay > state.preset.minEpochsToInactivityPenalty
        let previousEpoch = state.getPreviousEpoch()
        eligible = state.validators.indices.filter { index in
            let validator = state.validators[index]
            return validator.isActiveValidator(previousEpoch)
                || (validator.slashed && previousEpoch.rawValue + 1 < validator.withdrawableEpoch.rawValue)
        }
        effectiveStakes = state.validators.map(\.effectiveStake.rawValue)
        baseRewardFactor = state.preset.baseRewardFactor
        baseRewardsPerEpoch = state.preset.baseRewardsPerEpoch
    }

    /// phase0 `get_base_reward`.
    func baseReward(_ index: Int) -> UInt64 {
        effectiveStakes[index] * baseRewardFactor / totalBalanceSquareRoot / baseRewardsPerEpoch
    }
}

/// phase0 `integer_squareroot`: the largest integer `x` with `x * x <= n` (Newton's method).
public func integerSquareRoot(_ n: UInt64) -> UInt64 {
    guard n > 1 else { return n }
    var x = n
    var y = (x + 1) / 2
    while y < x {
        x = y
        y = (x + n / x) / 2
    }
    precondition(x <= n / x, "integer square root too large")
    precondition(x + 1 > n / (x + 1), "integer square root too small")
    return x
}
