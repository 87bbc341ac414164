/// A block built by `produceBlock`, not yet signed, and the state after it.
public struct BlockProposal: Sendable {
    public var block: Block
    public var postState: ChainState
}

/// The operations a proposer may put into a block.
public struct BlockOperations: Sendable {
    public var proposerSlashings: [ProposerSlashing]
    public var attesterSlashings: [AttesterSlashing]
    public var attestations: [Attestation]
    public var transactions: [SignedTransaction]

    public init(
        proposerSlashings: [ProposerSlashing] = [], attesterSlashings: [AttesterSlashing] = [],
        attestations: [Attestation] = [], transactions: [SignedTransaction] = []
    ) {
        self.proposerSlashings = proposerSlashings
        self.attesterSlashings = attesterSlashings
        self.attestations = attestations
        self.transactions = transactions
    }
}

extension ChainState {
    /// Builds the block of `slot` on top of this state, keeping only the operations that are
    /// valid in order (an invalid one is dropped, not fatal), up to the per-block maximums.
    ///
    /// The node core feeds it only verified operations (KeelConsensus's `Verified…` types);
    /// under `signatures: .verifyIndividually` (the node core's default) each operation's
    /// signatures are checked again here, so an operation whose signature fails is dropped
    /// instead of making the block invalid. It relies on every `process…` operation checking
    /// before it writes, so a rejected operation leaves the state as it was.
    ///
    /// - Parameters:
    ///   - signatures: `.skip` (the default) or `.verifyIndividually`; `.collect` is treated as
    ///     `.verifyIndividually`, since a dropped operation must be known at once.
    /// - Throws: only when the slot or the proposer is wrong (`slots`, `header`, `randao`).
    public func produceBlock(
        slot: Slot, randaoReveal: Root, operations: BlockOperations, signatures: SignatureStrategy = .skip
    ) throws(BlockProcessingError) -> BlockProposal {
        var state = self
        do { try state.processSlots(slot) } catch { throw .slots(error) }
        let proposerIndex: ValidatorIndex
        do { proposerIndex = try state.getBeaconProposerIndex() } catch { throw .state(error) }
        var block = Block(
            slot: slot, proposerIndex: proposerIndex, parentRoot: state.latestBlockHeader.hashTreeRoot, stateRoot: .zero,
            body: BlockBody(randaoReveal: randaoReveal))
        var verifier = SignatureVerifier(signatures == .skip ? .skip : .verifyIndividually)
        // Header and RANDAO are checked against the empty body; the body root is fixed below.
        var probe = state
        do { try probe.processBlockHeader(block, proposerIndex: proposerIndex) } catch { throw .header(error) }
        do { try probe.processRandao(block.body, proposerIndex: proposerIndex) } catch { throw .randao(error) }
        state = probe

        var body = block.body
        for slashing in operations.proposerSlashings.prefix(Int(preset.maxProposerSlashings))
        where (try? state.processProposerSlashing(slashing, verifier: &verifier)) != nil {
            body.proposerSlashings.append(slashing)
        }
        for slashing in operations.attesterSlashings.prefix(Int(preset.maxAttesterSlashings))
        where (try? state.processAttesterSlashing(slashing, verifier: &verifier)) != nil {
            body.attesterSlashings.append(slashing)
        }
        var shufflings = ShufflingLookup()
        var included = Set((state.previousEpochAttestations + state.currentEpochAttestations).map { [$0.validatorIndex.rawValue, $0.data.target.epoch.rawValue] })
        for attestation in operations.attestations where body.attestations.count < Int(preset.maxAttestations) {
            let key = [attestation.validatorIndex.rawValue, attestation.data.target.epoch.rawValue]
            guard !included.contains(key) else { continue }
            if (try? state.processAttestation(attestation, proposerIndex: proposerIndex, shufflings: &shufflings, verifier: &verifier)) != nil {
                body.attestations.append(attestation)
                included.insert(key)
            }
        }
        var requestedSteps: UInt64 = 0
        for transaction in operations.transactions where body.transactions.count < Int(preset.maxTransactions) {
            // The block's step budget counts step limits, as `processOperations` checks it.
            if case let .call(_, _, stepLimit) = transaction.message.kind {
                guard stepLimit <= preset.maxStepsPerBlock - requestedSteps else { continue }
                requestedSteps += stepLimit
            }
            // Success is "no throw"; the effect is for receipts.
            do {
                try state.processTransaction(transaction, proposerIndex: proposerIndex, verifier: &verifier)
                body.transactions.append(transaction)
            } catch {
                if case let .call(_, _, stepLimit) = transaction.message.kind { requestedSteps -= stepLimit }
            }
        }
        // The header recorded the empty body's root; record the real one.
        block.body = body
        state.latestBlockHeader.bodyRoot = body.hashTreeRoot
        block.stateRoot = state.hashTreeRoot()
        return BlockProposal(block: block, postState: state)
    }
}
