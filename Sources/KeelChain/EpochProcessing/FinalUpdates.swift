extension ChainState {
    /// phase0 `process_slashings_reset`: clear the slot the next epoch will fill.
    public mutating func processSlashingsReset() {
        let next = getCurrentEpoch().rawValue + 1
        slashings[Int(next % preset.epochsPerSlashingsVector)] = .zero
    }

    /// phase0 `process_randao_mixes_reset`: the next epoch's mix starts from this one's.
    public mutating func processRandaoMixesReset() {
        let current = getCurrentEpoch()
        let next = current.rawValue + 1
        randaoMixes[Int(next % preset.epochsPerHistoricalVector)] = getRandaoMix(current)
    }

    /// phase0 `process_participation_record_updates`: rotate the pending attestations.
    public mutating func processParticipationRecordUpdates() {
        previousEpochAttestations = currentEpochAttestations
        currentEpochAttestations = []
    }
}
