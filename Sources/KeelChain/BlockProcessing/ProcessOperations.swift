extension ChainState {
    /// phase0 `process_operations`: slashings, then attestations, then transactions, each list
    /// bounded by its per-block maximum (STYLE item 13).
    ///
    /// - Returns: What each transaction did, in order (for receipts).
    @discardableResult
    public mutating func processOperations(
        _ body: BlockBody, proposerIndex: ValidatorIndex, verifier: inout SignatureVerifier
    ) throws(BlockProcessingError) -> [TransactionEffect] {
        try checkLimit("proposer_slashings", body.proposerSlashings.count, preset.maxProposerSlashings)
        try checkLimit("attester_slashings", body.attesterSlashings.count, preset.maxAttesterSlashings)
        try checkLimit("attestations", body.attestations.count, preset.maxAttestations)
        try checkLimit("transactions", body.transactions.count, preset.maxTransactions)
        var requestedSteps: UInt64 = 0
        for signed in body.transactions {
            if case let .call(_, _, stepLimit) = signed.message.kind {
                requestedSteps = requestedSteps.addingReportingOverflow(stepLimit).overflow ? .max : requestedSteps + stepLimit
            }
        }
        guard requestedSteps <= preset.maxStepsPerBlock else {
            throw .blockStepLimitExceeded(steps: requestedSteps, limit: preset.maxStepsPerBlock)
        }

        for (index, slashing) in body.proposerSlashings.enumerated() {
            do { try processProposerSlashing(slashing, verifier: &verifier) } catch {
                throw .proposerSlashing(index: index, reason: error)
            }
        }
        for (index, slashing) in body.attesterSlashings.enumerated() {
            do { try processAttesterSlashing(slashing, verifier: &verifier) } catch {
                throw .attesterSlashing(index: index, reason: error)
            }
        }
        var shufflings = ShufflingLookup()
        for (index, attestation) in body.attestations.enumerated() {
            do {
                try processAttestation(attestation, proposerIndex: proposerIndex, shufflings: &shufflings, verifier: &verifier)
            } catch {
                throw .attestation(index: index, reason: error)
            }
        }
        var effects: [TransactionEffect] = []
        effects.reserveCapacity(body.transactions.count)
        for (index, transaction) in body.transactions.enumerated() {
            do { effects.append(try processTransaction(transaction, proposerIndex: proposerIndex, verifier: &verifier)) } catch {
                throw .transaction(index: index, reason: error)
            }
        }
        return effects
    }

    private func checkLimit(_ field: String, _ count: Int, _ limit: UInt64) throws(BlockProcessingError) {
        guard UInt64(count) <= limit else { throw .tooManyOperations(field: field, count: count, limit: limit) }
    }
}
