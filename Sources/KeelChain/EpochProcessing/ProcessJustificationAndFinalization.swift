extension ChainState {
    /// phase0 `process_justification_and_finalization`: weigh the target votes of the previous
    /// and current epoch (`WeighJustificationAndFinalization.swift`) and store the outcome.
    public mutating func processJustificationAndFinalization() throws(EpochProcessingError) {
        // Initial FFG checkpoint values have a zero root; skip the first two epochs.
        guard getCurrentEpoch().rawValue > Constants.genesisEpoch.rawValue + 1 else { return }
        let previousEpoch = getPreviousEpoch()
        let currentEpoch = getCurrentEpoch()
        let previous = try attestationParticipation(previousEpoch)
        let current = try attestationParticipation(currentEpoch)
        let input: JustificationAndFinalizationState
        do {
            input = JustificationAndFinalizationState(
                currentEpoch: currentEpoch,
                justificationBits: justificationBits,
                previousJustifiedCheckpoint: previousJustifiedCheckpoint,
                currentJustifiedCheckpoint: currentJustifiedCheckpoint,
                finalizedCheckpoint: finalizedCheckpoint,
                previousEpochBoundaryRoot: try getBlockRoot(previousEpoch),
                currentEpochBoundaryRoot: try getBlockRoot(currentEpoch))
        } catch {
            throw .state(error)
        }
        let output: JustificationAndFinalizationState
        do {
            output = try weighJustificationAndFinalization(
                input, totalActiveBalance: getTotalActiveBalance(),
                previousEpochTargetBalance: previous.targetBalance, currentEpochTargetBalance: current.targetBalance)
        } catch {
            throw .arithmetic(error)
        }
        justificationBits = output.justificationBits
        previousJustifiedCheckpoint = output.previousJustifiedCheckpoint
        currentJustifiedCheckpoint = output.currentJustifiedCheckpoint
        finalizedCheckpoint = output.finalizedCheckpoint
    }
}
