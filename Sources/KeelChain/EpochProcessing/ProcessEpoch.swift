extension ChainState {
    /// phase0 `process_epoch`, calling each step in spec order. Keel adds `processWithdrawals`
    /// (phase0 has no withdrawals) after slashings, before effective stakes are updated.
    public mutating func processEpoch() throws(EpochProcessingError) {
        try processJustificationAndFinalization()
        try processRewardsAndPenalties()
        processRegistryUpdates()
        processSlashings()
        processWithdrawals()
        processEffectiveBalanceUpdates()
        processSlashingsReset()
        processRandaoMixesReset()
        processParticipationRecordUpdates()
    }
}
