import KeelChain

/// The `preset` object of a genesis file: every field of `Preset`, snake_case, as a JSON integer
/// (stake amounts in base units).
///
/// The two field tables drive encoding, decoding and validation, so a field cannot be written
/// but not read; a test checks by reflection that they list every stored field of `Preset`, so
/// adding a field to `Preset` without adding it here fails the build's tests.
struct PresetJSON: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case slotsPerEpoch = "slots_per_epoch"
        case minAttestationInclusionDelay = "min_attestation_inclusion_delay"
        case minSeedLookahead = "min_seed_lookahead"
        case maxSeedLookahead = "max_seed_lookahead"
        case minEpochsToInactivityPenalty = "min_epochs_to_inactivity_penalty"
        case minValidatorWithdrawabilityDelay = "min_validator_withdrawability_delay"
        case slotsPerHistoricalRoot = "slots_per_historical_root"
        case epochsPerHistoricalVector = "epochs_per_historical_vector"
        case epochsPerSlashingsVector = "epochs_per_slashings_vector"
        case shuffleRoundCount = "shuffle_round_count"
        case stakeUnit = "stake_unit"
        case maxEffectiveStake = "max_effective_stake"
        case effectiveStakeIncrement = "effective_stake_increment"
        case ejectionBalance = "ejection_balance"
        case minDepositAmount = "min_deposit_amount"
        case hysteresisQuotient = "hysteresis_quotient"
        case hysteresisDownwardMultiplier = "hysteresis_downward_multiplier"
        case hysteresisUpwardMultiplier = "hysteresis_upward_multiplier"
        case minPerEpochChurnLimit = "min_per_epoch_churn_limit"
        case churnLimitQuotient = "churn_limit_quotient"
        case baseRewardFactor = "base_reward_factor"
        case whistleblowerRewardQuotient = "whistleblower_reward_quotient"
        case proposerRewardQuotient = "proposer_reward_quotient"
        case inactivityPenaltyQuotient = "inactivity_penalty_quotient"
        case minSlashingPenaltyQuotient = "min_slashing_penalty_quotient"
        case proportionalSlashingMultiplier = "proportional_slashing_multiplier"
        case maxProposerSlashings = "max_proposer_slashings"
        case maxAttesterSlashings = "max_attester_slashings"
        case maxAttestations = "max_attestations"
        case maxTransactions = "max_transactions"
        case maxProgramBytes = "max_program_bytes"
        case maxCallInputCells = "max_call_input_cells"
        case maxProgramStorageCells = "max_program_storage_cells"
        case maxStepsPerCall = "max_steps_per_call"
        case maxStepsPerBlock = "max_steps_per_block"
        case feePerStep = "fee_per_step"
    }

    /// The plain integer fields, in `Preset` declaration order.
    static var integerFields: [(CodingKeys, WritableKeyPath<Preset, UInt64>)] {
        [
            (.slotsPerEpoch, \.slotsPerEpoch),
            (.minAttestationInclusionDelay, \.minAttestationInclusionDelay),
            (.minSeedLookahead, \.minSeedLookahead),
            (.maxSeedLookahead, \.maxSeedLookahead),
            (.minEpochsToInactivityPenalty, \.minEpochsToInactivityPenalty),
            (.minValidatorWithdrawabilityDelay, \.minValidatorWithdrawabilityDelay),
            (.slotsPerHistoricalRoot, \.slotsPerHistoricalRoot),
            (.epochsPerHistoricalVector, \.epochsPerHistoricalVector),
            (.epochsPerSlashingsVector, \.epochsPerSlashingsVector),
            (.shuffleRoundCount, \.shuffleRoundCount),
            (.stakeUnit, \.stakeUnit),
            (.hysteresisQuotient, \.hysteresisQuotient),
            (.hysteresisDownwardMultiplier, \.hysteresisDownwardMultiplier),
            (.hysteresisUpwardMultiplier, \.hysteresisUpwardMultiplier),
            (.minPerEpochChurnLimit, \.minPerEpochChurnLimit),
            (.churnLimitQuotient, \.churnLimitQuotient),
            (.baseRewardFactor, \.baseRewardFactor),
            (.whistleblowerRewardQuotient, \.whistleblowerRewardQuotient),
            (.proposerRewardQuotient, \.proposerRewardQuotient),
            (.inactivityPenaltyQuotient, \.inactivityPenaltyQuotient),
            (.minSlashingPenaltyQuotient, \.minSlashingPenaltyQuotient),
            (.proportionalSlashingMultiplier, \.proportionalSlashingMultiplier),
            (.maxProposerSlashings, \.maxProposerSlashings),
            (.maxAttesterSlashings, \.maxAttesterSlashings),
            (.maxAttestations, \.maxAttestations),
            (.maxTransactions, \.maxTransactions),
            (.maxProgramBytes, \.maxProgramBytes),
            (.maxCallInputCells, \.maxCallInputCells),
            (.maxProgramStorageCells, \.maxProgramStorageCells),
            (.maxStepsPerCall, \.maxStepsPerCall),
            (.maxStepsPerBlock, \.maxStepsPerBlock),
        ]
    }

    /// The stake fields, in base units.
    static var stakeFields: [(CodingKeys, WritableKeyPath<Preset, Stake>)] {
        [
            (.maxEffectiveStake, \.maxEffectiveStake),
            (.effectiveStakeIncrement, \.effectiveStakeIncrement),
            (.ejectionBalance, \.ejectionBalance),
            (.minDepositAmount, \.minDepositAmount),
            (.feePerStep, \.feePerStep),
        ]
    }

    /// Fields that KeelChain divides by (or takes a remainder by), plus the stake unit and the
    /// maximum effective stake: 0 would trap in the state transition, so
    /// ``GenesisFile/validate()`` rejects it.
    static let nonZeroKeys: Set<CodingKeys> = [
        .minAttestationInclusionDelay, .shuffleRoundCount, .slotsPerEpoch, .slotsPerHistoricalRoot, .epochsPerHistoricalVector, .epochsPerSlashingsVector,
        .stakeUnit, .maxEffectiveStake, .effectiveStakeIncrement, .hysteresisQuotient, .churnLimitQuotient,
        .whistleblowerRewardQuotient, .proposerRewardQuotient, .inactivityPenaltyQuotient, .minSlashingPenaltyQuotient,
    ]

    /// The largest value each integer field may take: past it the core would trap (an overflow
    /// in `epoch · slots_per_epoch`, a byte-sized shuffle round, a block the codec cannot
    /// decode), or would hang or run out of memory (state vectors, shuffling rounds). Generous
    /// against phase0's mainnet values; ``GenesisFile/validate()`` rejects anything above.
    static let upperBounds: [CodingKeys: UInt64] = [
        .slotsPerEpoch: 8_192, .minAttestationInclusionDelay: 8_192, .minSeedLookahead: 1_024, .maxSeedLookahead: 1_024,
        .minEpochsToInactivityPenalty: 1 << 20, .minValidatorWithdrawabilityDelay: 1 << 32,
        .slotsPerHistoricalRoot: 1 << 16, .epochsPerHistoricalVector: 1 << 16, .epochsPerSlashingsVector: 1 << 16,
        // compute_shuffled_index hashes the round as one byte.
        .shuffleRoundCount: Constants.shuffleRoundCountMax,
        .hysteresisDownwardMultiplier: 1 << 16, .hysteresisUpwardMultiplier: 1 << 16, .minPerEpochChurnLimit: 1 << 20,
        .baseRewardFactor: 1 << 20, .proportionalSlashingMultiplier: 1 << 16,
        .maxProposerSlashings: CodecLimits.maxProposerSlashings, .maxAttesterSlashings: CodecLimits.maxAttesterSlashings,
        .maxAttestations: CodecLimits.maxAttestations, .maxTransactions: CodecLimits.maxTransactions,
        .maxProgramBytes: CodecLimits.maxProgramBytes, .maxCallInputCells: CodecLimits.maxCallInputCells,
        .maxProgramStorageCells: CodecLimits.maxProgramStorageCells,
        .maxStepsPerCall: 1 << 32, .maxStepsPerBlock: 1 << 36,
    ]

    var preset: Preset

    init(_ preset: Preset) {
        self.preset = preset
    }

    /// Reads every field; `Preset` has no public memberwise initializer, so the fields are set
    /// one by one on a copy of `.devnet`, all of which are overwritten.
    init(from decoder: any Decoder) throws {
        try GenesisJSONFields.rejectUnknown(in: decoder, known: CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var preset = Preset.devnet
        for (key, path) in Self.integerFields {
            preset[keyPath: path] = try GenesisJSONFields.uint64(container, key)
        }
        for (key, path) in Self.stakeFields {
            preset[keyPath: path] = Stake(try GenesisJSONFields.uint64(container, key))
        }
        self.preset = preset
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        for (key, path) in Self.integerFields {
            try container.encode(preset[keyPath: path], forKey: key)
        }
        for (key, path) in Self.stakeFields {
            try container.encode(preset[keyPath: path].rawValue, forKey: key)
        }
    }
}
