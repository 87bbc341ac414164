extension Preset {
    /// One stored field of `Preset`.
    public struct Field {
        /// The field's name in snake_case: the genesis file's JSON key (`slots_per_epoch`).
        public let name: String
        /// The field as an integer; stake fields through `Stake.rawValue`, in base units.
        public let keyPath: WritableKeyPath<Preset, UInt64>
    }

    /// Every stored field of `Preset`, in declaration order: the one list from which the genesis
    /// root (`encode(to:)`), the state codec and the genesis file's `preset` object are written
    /// and read. A test checks it against `Preset`'s stored properties by reflection, so a new
    /// field left out of it fails the tests.
    public static var fields: [Field] {
        [
            Field(name: "slots_per_epoch", keyPath: \.slotsPerEpoch),
            Field(name: "min_attestation_inclusion_delay", keyPath: \.minAttestationInclusionDelay),
            Field(name: "min_seed_lookahead", keyPath: \.minSeedLookahead),
            Field(name: "max_seed_lookahead", keyPath: \.maxSeedLookahead),
            Field(name: "min_epochs_to_inactivity_penalty", keyPath: \.minEpochsToInactivityPenalty),
            Field(name: "min_validator_withdrawability_delay", keyPath: \.minValidatorWithdrawabilityDelay),
            Field(name: "slots_per_historical_root", keyPath: \.slotsPerHistoricalRoot),
            Field(name: "epochs_per_historical_vector", keyPath: \.epochsPerHistoricalVector),
            Field(name: "epochs_per_slashings_vector", keyPath: \.epochsPerSlashingsVector),
            Field(name: "shuffle_round_count", keyPath: \.shuffleRoundCount),
            Field(name: "stake_unit", keyPath: \.stakeUnit),
            Field(name: "max_effective_stake", keyPath: \.maxEffectiveStake.rawValue),
            Field(name: "effective_stake_increment", keyPath: \.effectiveStakeIncrement.rawValue),
            Field(name: "ejection_balance", keyPath: \.ejectionBalance.rawValue),
            Field(name: "min_deposit_amount", keyPath: \.minDepositAmount.rawValue),
            Field(name: "hysteresis_quotient", keyPath: \.hysteresisQuotient),
            Field(name: "hysteresis_downward_multiplier", keyPath: \.hysteresisDownwardMultiplier),
            Field(name: "hysteresis_upward_multiplier", keyPath: \.hysteresisUpwardMultiplier),
            Field(name: "min_per_epoch_churn_limit", keyPath: \.minPerEpochChurnLimit),
            Field(name: "churn_limit_quotient", keyPath: \.churnLimitQuotient),
            Field(name: "base_reward_factor", keyPath: \.baseRewardFactor),
            Field(name: "whistleblower_reward_quotient", keyPath: \.whistleblowerRewardQuotient),
            Field(name: "proposer_reward_quotient", keyPath: \.proposerRewardQuotient),
            Field(name: "inactivity_penalty_quotient", keyPath: \.inactivityPenaltyQuotient),
            Field(name: "min_slashing_penalty_quotient", keyPath: \.minSlashingPenaltyQuotient),
            Field(name: "proportional_slashing_multiplier", keyPath: \.proportionalSlashingMultiplier),
            Field(name: "max_proposer_slashings", keyPath: \.maxProposerSlashings),
            Field(name: "max_attester_slashings", keyPath: \.maxAttesterSlashings),
            Field(name: "max_attestations", keyPath: \.maxAttestations),
            Field(name: "max_transactions", keyPath: \.maxTransactions),
            Field(name: "max_program_bytes", keyPath: \.maxProgramBytes),
            Field(name: "max_call_input_cells", keyPath: \.maxCallInputCells),
            Field(name: "max_program_storage_cells", keyPath: \.maxProgramStorageCells),
            Field(name: "max_steps_per_call", keyPath: \.maxStepsPerCall),
            Field(name: "max_steps_per_block", keyPath: \.maxStepsPerBlock),
            Field(name: "fee_per_step", keyPath: \.feePerStep.rawValue),
        ]
    }
}
