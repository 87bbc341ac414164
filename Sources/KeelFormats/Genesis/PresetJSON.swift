import KeelChain

/// The `preset` object of a genesis file: every field of `Preset` (`Preset.fields`, the one
/// list), under its snake_case name, as a JSON integer (stake amounts in base units).
struct PresetJSON: Codable {
    /// Fields that KeelChain divides by (or takes a remainder by), plus the stake unit and the
    /// maximum effective stake: 0 would trap in the state transition, so
    /// ``GenesisFile/validate()`` rejects it.
    static var nonZero: Set<WritableKeyPath<Preset, UInt64>> {
        [
            \.minAttestationInclusionDelay, \.shuffleRoundCount, \.slotsPerEpoch, \.slotsPerHistoricalRoot,
            \.epochsPerHistoricalVector, \.epochsPerSlashingsVector, \.stakeUnit, \.maxEffectiveStake.rawValue,
            \.effectiveStakeIncrement.rawValue, \.hysteresisQuotient, \.churnLimitQuotient, \.whistleblowerRewardQuotient,
            \.proposerRewardQuotient, \.inactivityPenaltyQuotient, \.minSlashingPenaltyQuotient,
        ]
    }

    /// The largest value each integer field may take: past it the core would trap (an overflow
    /// in `epoch · slots_per_epoch`, a byte-sized shuffle round, a block the codec cannot
    /// decode), or would hang or run out of memory (state vectors, shuffling rounds). Generous
    /// against phase0's mainnet values; ``GenesisFile/validate()`` rejects anything above.
    static var upperBounds: [WritableKeyPath<Preset, UInt64>: UInt64] {
        [
            \.slotsPerEpoch: 8_192, \.minAttestationInclusionDelay: 8_192, \.minSeedLookahead: 1_024, \.maxSeedLookahead: 1_024,
            \.minEpochsToInactivityPenalty: 1 << 20, \.minValidatorWithdrawabilityDelay: 1 << 32,
            \.slotsPerHistoricalRoot: 1 << 16, \.epochsPerHistoricalVector: 1 << 16, \.epochsPerSlashingsVector: 1 << 16,
            // compute_shuffled_index hashes the round as one byte.
            \.shuffleRoundCount: Constants.shuffleRoundCountMax,
            \.hysteresisDownwardMultiplier: 1 << 16, \.hysteresisUpwardMultiplier: 1 << 16, \.minPerEpochChurnLimit: 1 << 20,
            \.baseRewardFactor: 1 << 20, \.proportionalSlashingMultiplier: 1 << 16,
            \.maxProposerSlashings: CodecLimits.maxProposerSlashings, \.maxAttesterSlashings: CodecLimits.maxAttesterSlashings,
            \.maxAttestations: CodecLimits.maxAttestations, \.maxTransactions: CodecLimits.maxTransactions,
            \.maxProgramBytes: CodecLimits.maxProgramBytes, \.maxCallInputCells: CodecLimits.maxCallInputCells,
            \.maxProgramStorageCells: CodecLimits.maxProgramStorageCells,
            \.maxStepsPerCall: 1 << 32, \.maxStepsPerBlock: 1 << 36,
        ]
    }

    var preset: Preset

    init(_ preset: Preset) {
        self.preset = preset
    }

    /// Reads every field; `Preset` has no public memberwise initializer, so the fields are set
    /// one by one on a copy of `.devnet`, all of which are overwritten.
    init(from decoder: any Decoder) throws {
        let fields = Preset.fields
        try GenesisJSONFields.rejectUnknown(in: decoder, knownNames: Set(fields.map(\.name)))
        let container = try decoder.container(keyedBy: GenesisJSONFields.AnyKey.self)
        var preset = Preset.devnet
        for field in fields {
            preset[keyPath: field.keyPath] = try GenesisJSONFields.uint64(container, GenesisJSONFields.AnyKey(stringValue: field.name))
        }
        self.preset = preset
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: GenesisJSONFields.AnyKey.self)
        for field in Preset.fields {
            try container.encode(preset[keyPath: field.keyPath], forKey: GenesisJSONFields.AnyKey(stringValue: field.name))
        }
    }
}
