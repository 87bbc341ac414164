import KeelCrypto

extension ChainState {
    /// Registers a new validator, or tops up an existing one with the same key (phase0
    /// `process_deposit` and `apply_deposit`, fed by a transaction instead of the eth1 bridge).
    /// A new key must prove possession: its signature over the deposit message.
    mutating func processDeposit(
        validatorKey: PublicKey, amount: Stake, randaoCommitment: Root, proofOfPossession: Signature,
        withdrawalAddress: Address, verifier: inout SignatureVerifier
    ) throws(TransactionInvalid) -> ValidatorIndex {
        guard amount >= preset.minDepositAmount else {
            throw .depositBelowMinimum(amount: amount, minimum: preset.minDepositAmount)
        }
        if let existing = validators.firstIndex(where: { $0.publicKey == validatorKey }) {
            increaseBalance(ValidatorIndex(UInt64(existing)), amount)
            return ValidatorIndex(UInt64(existing))
        }
        let message = Self.depositMessageRoot(
            validatorKey: validatorKey, withdrawalAddress: withdrawalAddress, amount: amount, randaoCommitment: randaoCommitment)
        let signingRoot = computeSigningRoot(message, domain: .deposit, genesisRoot: genesisRoot)
        guard verifier.check(SignatureSet(publicKey: validatorKey, signingRoot: signingRoot, signature: proofOfPossession)) else {
            throw .badProofOfPossession
        }
        let increment = preset.effectiveStakeIncrement.rawValue
        let effective = min(amount.rawValue - amount.rawValue % increment, preset.maxEffectiveStake.rawValue)
        validators.append(Validator(
            publicKey: validatorKey, withdrawalAddress: withdrawalAddress, balance: amount, effectiveStake: Stake(effective),
            activationEligibilityEpoch: Constants.farFutureEpoch, activationEpoch: Constants.farFutureEpoch,
            randaoCommitment: randaoCommitment))
        return ValidatorIndex(UInt64(validators.count - 1))
    }

    /// What a deposit's proof of possession signs: key, withdrawal address, amount, commitment.
    public static func depositMessageRoot(
        validatorKey: PublicKey, withdrawalAddress: Address, amount: Stake, randaoCommitment: Root
    ) -> Root {
        var hasher = SHA256.Hasher()
        hasher.update(validatorKey.bytes)
        hasher.update(withdrawalAddress.hash)
        hasher.update(withUnsafeBytes(of: amount.rawValue.littleEndian, Array.init))
        hasher.update(randaoCommitment)
        return hasher.finalize()
    }

    /// A voluntary exit (phase0 `process_voluntary_exit`), authorised by the withdrawal account.
    mutating func processExit(_ index: ValidatorIndex, sender: Address) throws(TransactionInvalid) {
        guard isValidValidatorIndex(index) else { throw .unknownValidator(index) }
        let validator = validators[Int(index.rawValue)]
        guard validator.withdrawalAddress == sender else { throw .notWithdrawalAddress(index) }
        guard validator.isActiveValidator(getCurrentEpoch()) else { throw .validatorNotActive(index) }
        guard validator.exitEpoch == Constants.farFutureEpoch else { throw .validatorAlreadyExiting(index) }
        initiateValidatorExit(index)
    }
}
