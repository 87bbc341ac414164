/// phase0 "Beacon state mutators".
extension ChainState {
    /// phase0 `increase_balance`. Balances are bounded by total supply, far below 2^64, so an
    /// overflow here is a broken invariant, not bad input.
    public mutating func increaseBalance(_ index: ValidatorIndex, _ delta: Stake) {
        let (sum, overflow) = validators[Int(index.rawValue)].balance.rawValue.addingReportingOverflow(delta.rawValue)
        precondition(!overflow, "balance overflow for validator \(index)")
        validators[Int(index.rawValue)].balance = Stake(sum)
    }

    /// phase0 `decrease_balance`: saturates at zero.
    public mutating func decreaseBalance(_ index: ValidatorIndex, _ delta: Stake) {
        let position = Int(index.rawValue)
        validators[position].balance = validators[position].balance.saturatingSub(delta)
    }

    /// phase0 `initiate_validator_exit`: queue the exit behind the churn limit.
    public mutating func initiateValidatorExit(_ index: ValidatorIndex) {
        let position = Int(index.rawValue)
        guard validators[position].exitEpoch == Constants.farFutureEpoch else { return }
        var exitQueueEpoch = computeActivationExitEpoch(getCurrentEpoch())
        var exitQueueChurn: UInt64 = 0
        for validator in validators where validator.exitEpoch != Constants.farFutureEpoch {
            if validator.exitEpoch > exitQueueEpoch {
                exitQueueEpoch = validator.exitEpoch
                exitQueueChurn = 0
            }
            if validator.exitEpoch == exitQueueEpoch { exitQueueChurn += 1 }
        }
        if exitQueueChurn >= getValidatorChurnLimit() { exitQueueEpoch = Epoch(exitQueueEpoch.rawValue + 1) }
        validators[position].exitEpoch = exitQueueEpoch
        validators[position].withdrawableEpoch = Epoch(exitQueueEpoch.rawValue + preset.minValidatorWithdrawabilityDelay)
        precondition(validators[position].exitEpoch > getCurrentEpoch())
    }

    /// phase0 `slash_validator`: exit, mark slashed, record the slashing, take the minimum
    /// penalty, and reward the proposer (who is also the whistleblower: it included the evidence).
    public mutating func slashValidator(_ index: ValidatorIndex, whistleblowerIndex: ValidatorIndex? = nil) throws(StateAccessError) {
        let epoch = getCurrentEpoch()
        initiateValidatorExit(index)
        let position = Int(index.rawValue)
        validators[position].slashed = true
        let withdrawable = Epoch(epoch.rawValue + preset.epochsPerSlashingsVector)
        validators[position].withdrawableEpoch = max(validators[position].withdrawableEpoch, withdrawable)
        let effective = validators[position].effectiveStake
        let slot = Int(epoch.rawValue % preset.epochsPerSlashingsVector)
        slashings[slot] = Stake(slashings[slot].rawValue + effective.rawValue)
        decreaseBalance(index, Stake(effective.rawValue / preset.minSlashingPenaltyQuotient))

        let proposerIndex = try getBeaconProposerIndex()
        let whistleblower = whistleblowerIndex ?? proposerIndex
        let whistleblowerReward = Stake(effective.rawValue / preset.whistleblowerRewardQuotient)
        let proposerReward = Stake(whistleblowerReward.rawValue / preset.proposerRewardQuotient)
        increaseBalance(proposerIndex, proposerReward)
        increaseBalance(whistleblower, Stake(whistleblowerReward.rawValue - proposerReward.rawValue))
        precondition(validators[position].slashed)
    }
}
