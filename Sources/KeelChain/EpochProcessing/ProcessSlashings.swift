extension ChainState {
    /// phase0 `process_slashings`: halfway to withdrawability, a slashed validator pays a
    /// penalty proportional to everything slashed around the same time (times
    /// `proportionalSlashingMultiplier`), so coordinated attacks cost the whole stake.
    public mutating func processSlashings() {
        let epoch = getCurrentEpoch()
        let totalBalance = getTotalActiveBalance().rawValue
        let slashed = slashings.reduce(UInt64(0)) { $0 + $1.rawValue }
        let adjusted = min(slashed * preset.proportionalSlashingMultiplier, totalBalance)
        let increment = preset.effectiveStakeIncrement.rawValue
        for index in validators.indices {
            let validator = validators[index]
            guard validator.slashed,
                epoch.rawValue + preset.epochsPerSlashingsVector / 2 == validator.withdrawableEpoch.rawValue
            else { continue }
            let penaltyNumerator = validator.effectiveStake.rawValue / increment * adjusted
            let penalty = penaltyNumerator / totalBalance * increment
            decreaseBalance(ValidatorIndex(UInt64(index)), Stake(penalty))
        }
    }
}
