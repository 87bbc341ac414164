extension ChainState {
    /// phase0 `process_registry_updates`: queue eligible validators, eject those whose effective
    /// stake fell to the ejection balance, and activate the queue up to the churn limit.
    public mutating func processRegistryUpdates() {
        let currentEpoch = getCurrentEpoch()
        for index in validators.indices {
            let validator = validators[index]
            if validator.isEligibleForActivationQueue(maxEffectiveStake: preset.maxEffectiveStake) {
                validators[index].activationEligibilityEpoch = Epoch(currentEpoch.rawValue + 1)
            }
            if validator.isActiveValidator(currentEpoch) && validator.effectiveStake <= preset.ejectionBalance {
                initiateValidatorExit(ValidatorIndex(UInt64(index)))
            }
        }
        let queue = validators.indices
            .filter { validators[$0].isEligibleForActivation(finalizedEpoch: finalizedCheckpoint.epoch) }
            .sorted { (validators[$0].activationEligibilityEpoch, $0) < (validators[$1].activationEligibilityEpoch, $1) }
        let activationEpoch = computeActivationExitEpoch(currentEpoch)
        for index in queue.prefix(Int(getValidatorChurnLimit())) {
            validators[index].activationEpoch = activationEpoch
        }
    }
}
