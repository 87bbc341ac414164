/// phase0 "Predicates" on a validator.
extension Validator {
    /// phase0 `is_active_validator`.
    public func isActiveValidator(_ epoch: Epoch) -> Bool {
        activationEpoch <= epoch && epoch < exitEpoch
    }

    /// phase0 `is_eligible_for_activation_queue`.
    public func isEligibleForActivationQueue(maxEffectiveStake: Stake) -> Bool {
        activationEligibilityEpoch == Constants.farFutureEpoch && effectiveStake == maxEffectiveStake
    }

    /// phase0 `is_eligible_for_activation`.
    public func isEligibleForActivation(finalizedEpoch: Epoch) -> Bool {
        activationEligibilityEpoch <= finalizedEpoch && activationEpoch == Constants.farFutureEpoch
    }

    /// phase0 `is_slashable_validator`.
    public func isSlashableValidator(_ epoch: Epoch) -> Bool {
        !slashed && activationEpoch <= epoch && epoch < withdrawableEpoch
    }
}
