/// Values that size the protocol (consensus-specs phase0 "Preset"), fixed per network kind.
///
/// Stake is counted in base units: `stakeUnit` base units make one whole unit of stake, as Gwei
/// make one Ether. Devnet validators stake `maxEffectiveStake`, 32 units.
public struct Preset: Hashable, Sendable {
    // Time
    public var slotsPerEpoch: UInt64
    public var minAttestationInclusionDelay: UInt64
    public var minSeedLookahead: UInt64
    public var maxSeedLookahead: UInt64
    public var minEpochsToInactivityPenalty: UInt64
    public var minValidatorWithdrawabilityDelay: UInt64
    // State list lengths
    public var slotsPerHistoricalRoot: UInt64
    public var epochsPerHistoricalVector: UInt64
    public var epochsPerSlashingsVector: UInt64
    // Shuffling
    public var shuffleRoundCount: UInt64
    // Stake
    public var stakeUnit: UInt64
    public var maxEffectiveStake: Stake
    public var effectiveStakeIncrement: Stake
    public var ejectionBalance: Stake
    public var minDepositAmount: Stake
    public var hysteresisQuotient: UInt64
    public var hysteresisDownwardMultiplier: UInt64
    public var hysteresisUpwardMultiplier: UInt64
    public var minPerEpochChurnLimit: UInt64
    public var churnLimitQuotient: UInt64
    // Rewards and penalties
    /// phase0 `BASE_REWARDS_PER_EPOCH`: source, target, head and inclusion delay.
    public var baseRewardsPerEpoch: UInt64 { 4 }
    public var baseRewardFactor: UInt64
    public var whistleblowerRewardQuotient: UInt64
    public var proposerRewardQuotient: UInt64
    public var inactivityPenaltyQuotient: UInt64
    public var minSlashingPenaltyQuotient: UInt64
    public var proportionalSlashingMultiplier: UInt64
    // Max operations per block
    public var maxProposerSlashings: UInt64
    public var maxAttesterSlashings: UInt64
    public var maxAttestations: UInt64
    public var maxTransactions: UInt64
    // Execution
    public var maxProgramBytes: UInt64
    public var maxCallInputCells: UInt64
    public var maxProgramStorageCells: UInt64
    public var maxStepsPerCall: UInt64
    public var maxStepsPerBlock: UInt64
    /// Base units of fee paid per VM step of a call's step limit.
    public var feePerStep: Stake

    /// The devnet preset: 8 slots per epoch, 32-unit stakes, phase0 reward constants scaled to
    /// short devnets (the inactivity quotient is small so that a leak is visible in minutes).
    public static let devnet = Preset(
        slotsPerEpoch: 8,
        minAttestationInclusionDelay: 1,
        minSeedLookahead: 1,
        maxSeedLookahead: 4,
        minEpochsToInactivityPenalty: 4,
        minValidatorWithdrawabilityDelay: 4,
        slotsPerHistoricalRoot: 256,
        epochsPerHistoricalVector: 64,
        epochsPerSlashingsVector: 64,
        shuffleRoundCount: 90,
        stakeUnit: 1_000_000_000,
        maxEffectiveStake: Stake(32_000_000_000),
        effectiveStakeIncrement: Stake(1_000_000_000),
        ejectionBalance: Stake(16_000_000_000),
        minDepositAmount: Stake(1_000_000_000),
        hysteresisQuotient: 4,
        hysteresisDownwardMultiplier: 1,
        hysteresisUpwardMultiplier: 5,
        minPerEpochChurnLimit: 4,
        churnLimitQuotient: 65_536,
        baseRewardFactor: 64,
        whistleblowerRewardQuotient: 512,
        proposerRewardQuotient: 8,
        inactivityPenaltyQuotient: 1 << 10,
        minSlashingPenaltyQuotient: 32,
        proportionalSlashingMultiplier: 3,
        maxProposerSlashings: 16,
        maxAttesterSlashings: 16,
        maxAttestations: 4_096,
        maxTransactions: 1_024,
        maxProgramBytes: 24 + 16 * 65_536,
        maxCallInputCells: 4_096,
        maxProgramStorageCells: 65_536,
        maxStepsPerCall: 100_000_000,
        maxStepsPerBlock: 1_000_000_000,
        feePerStep: Stake(1)
    )
}
