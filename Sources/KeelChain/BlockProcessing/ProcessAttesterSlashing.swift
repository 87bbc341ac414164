import KeelCrypto

extension ChainState {
    /// phase0 `process_attester_slashing`, for single-validator attestations.
    public mutating func processAttesterSlashing(
        _ slashing: AttesterSlashing, verifier: inout SignatureVerifier
    ) throws(AttesterSlashingInvalid) {
        let attestation1 = slashing.attestation1
        let attestation2 = slashing.attestation2
        guard attestation1.validatorIndex == attestation2.validatorIndex else { throw .validatorsDiffer }
        guard isSlashableAttestationData(attestation1.data, attestation2.data) else { throw .notSlashableData }
        let index = attestation1.validatorIndex
        guard isValidValidatorIndex(index) else { throw .unknownValidator(index) }
        let validator = validators[Int(index.rawValue)]
        guard validator.isSlashableValidator(getCurrentEpoch()) else { throw .notSlashable(index) }
        for (position, attestation) in [attestation1, attestation2].enumerated() {
            guard verifier.check(attestationSignatureSet(attestation, publicKey: validator.publicKey)) else {
                throw .badSignature(attestation: position + 1)
            }
        }
        do { try slashValidator(index) } catch { preconditionFailure("a block being processed has a proposer") }
    }

    /// The signature set of an attestation (phase0 `is_valid_indexed_attestation`, one index).
    public func attestationSignatureSet(_ attestation: Attestation, publicKey: PublicKey) -> SignatureSet {
        let signingRoot = computeSigningRoot(attestation.data.hashTreeRoot, domain: .attestation, genesisRoot: genesisRoot)
        return SignatureSet(publicKey: publicKey, signingRoot: signingRoot, signature: attestation.signature)
    }
}
