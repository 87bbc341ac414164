import KeelChain
import KeelConsensus
import KeelCrypto
import Logging

extension Node {
    /// Builds, signs (through slashing protection) and broadcasts the block of `slot` if one
    /// of this node's validators proposes it; a byzantine node makes two (KeelSim's shape).
    func propose(_ slot: Slot) {
        guard let (head, advanced) = headState(at: slot), let parentState = store.state(head),
            let proposer = try? advanced.getBeaconProposerIndex(), validators.runs(proposer)
        else { return }
        // phase0 process_block_header: a slashed proposer's block is invalid, so its slots
        // stay empty until it exits.
        guard !advanced.validators[Int(proposer.rawValue)].slashed else {
            logProblem(.warning, "validator is slashed: its block slot stays empty", metadata: ["slot": "\(slot)", "validator": "\(proposer)"])
            return
        }
        let commitment = advanced.validators[Int(proposer.rawValue)].randaoCommitment
        guard let reveal = validators.randaoReveal(validator: proposer, commitment: commitment) else {
            logProblem(.error, "no RANDAO reveal left", metadata: ["validator": "\(proposer)"])
            return
        }
        let slashings = detector.pendingSlashings(state: advanced)
        var operations = BlockOperations(
            proposerSlashings: slashings.proposer, attesterSlashings: slashings.attester,
            attestations: pool.attestationsForBlock(state: advanced, slot: slot), transactions: transactions)
        let proposal: BlockProposal
        do {
            proposal = try parentState.produceBlock(slot: slot, randaoReveal: reveal, operations: operations)
        } catch {
            logProblem(.error, "producing a block failed", metadata: ["slot": "\(slot)", "error": "\(error)"])
            return
        }
        guard let signed = validators.signBlock(proposal.block, parentState: parentState) else {
            metrics.recordSigningRefusal()
            logProblem(.warning, "slashing protection refused a block", metadata: ["slot": "\(slot)", "validator": "\(proposer)"])
            return
        }
        importBlock(signed, from: nil, relay: true)
        guard validators.byzantine else { return }
        // A second, different block for the same slot: the same operations less the last
        // attestation, or, with none to drop, a self-transfer.
        if operations.attestations.isEmpty {
            guard let key = validators.publicKey(proposer) else { return }
            let address = Address(key)
            let transaction = Transaction(
                sender: address, nonce: advanced.accounts[address]?.nonce ?? 0, fee: .zero,
                kind: .transfer(recipient: address, amount: .zero))
            guard let filler = validators.signTransaction(transaction, validator: proposer, state: advanced) else { return }
            operations.transactions = [filler]
        } else {
            operations.attestations.removeLast()
        }
        guard let twin = try? parentState.produceBlock(slot: slot, randaoReveal: reveal, operations: operations),
            twin.block != proposal.block, let signedTwin = validators.signBlock(twin.block, parentState: parentState)
        else { return }
        logger.warning("byzantine: double proposal", metadata: ["slot": "\(slot)", "validator": "\(proposer)"])
        network?.broadcast(.block(signedTwin))
    }

    /// A third into `slot`: each validator of this node in the slot's committee votes on the
    /// head (through slashing protection); a byzantine node votes twice.
    func attest(_ slot: Slot) {
        guard let (head, state) = headState(at: slot) else { return }
        let data = Self.attestationData(slot: slot, head: head, state: state)
        for validator in state.getBeaconCommittee(slot) where validators.runs(validator) {
            guard let attestation = validators.signAttestation(data, validator: validator, state: state) else {
                metrics.recordSigningRefusal()
                logProblem(
                    .warning, "slashing protection refused an attestation", metadata: ["slot": "\(slot)", "validator": "\(validator)"])
                continue
            }
            publish(attestation)
            guard validators.byzantine else { continue }
            var conflicting = data
            conflicting.source.root = SHA256.hash(data.source.root)
            guard let twin = validators.signAttestation(conflicting, validator: validator, state: state) else { continue }
            logger.warning("byzantine: double vote", metadata: ["slot": "\(slot)", "validator": "\(validator)"])
            network?.broadcast(.attestation(twin))
        }
        writeStatusFile(slot)
    }

    /// Pools and broadcasts an own attestation; fork choice counts it from the next slot.
    private func publish(_ attestation: Attestation) {
        _ = pool.insert(attestation)
        _ = detector.observe(attestation)
        network?.broadcast(.attestation(attestation))
        waitingAttestations.append((attestation, nil))
    }

    /// phase0 honest-validator attestation data, on the head state advanced to `slot`: head
    /// vote, the state's justified checkpoint as source, and the epoch boundary block as target
    /// (the head itself when the slot starts the epoch).
    static func attestationData(slot: Slot, head: Root, state: ChainState) -> AttestationData {
        precondition(state.slot == slot, "votes are made on the head state advanced to their slot")
        let epoch = state.computeEpochAtSlot(slot)
        let startSlot = state.computeStartSlotAtEpoch(epoch)
        let targetRoot = startSlot == state.slot ? head : ((try? state.getBlockRoot(epoch)) ?? head)
        return AttestationData(
            slot: slot, beaconBlockRoot: head, source: state.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: epoch, root: targetRoot))
    }
}
