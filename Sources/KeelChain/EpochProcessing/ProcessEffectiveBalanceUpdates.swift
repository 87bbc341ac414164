extension ChainState {
    /// phase0 `process_effective_balance_updates`, with hysteresis so that small balance moves do
    /// not churn effective stakes.
    public mutating func processEffectiveBalanceUpdates() {
        let increment = preset.effectiveStakeIncrement.rawValue
        let hysteresisIncrement = increment / preset.hysteresisQuotient
        let downwardThreshold = hysteresisIncrement * preset.hysteresisDownwardMultiplier
        let upwardThreshold = hysteresisIncrement * preset.hysteresisUpwardMultiplier
        for index in validators.indices {
            let balance = validators[index].balance.rawValue
            let effective = validators[index].effectiveStake.rawValue
            if balance + downwardThreshold < effective || effective + upwardThreshold < balance {
                validators[index].effectiveStake = Stake(min(balance - balance % increment, preset.maxEffectiveStake.rawValue))
            }
        }
    }
}
