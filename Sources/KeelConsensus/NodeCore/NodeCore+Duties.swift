import KeelChain
import KeelCrypto

extension NodeCore {
    /// The head block's state processed up to `slot` (phase0 honest validator: duties and votes
    /// are computed on the head state advanced to the current slot); nil, with a note, when the
    /// clock is behind the head or advancing fails.
    mutating func headState(at slot: Slot) -> (head: Root, state: ChainState)? {
        let head = store.getHead()
        if let cached = advancedHead, cached.slot == slot, cached.head == head { return (head, cached.state) }
        guard var state = store.state(head) else { preconditionFailure("the head has a state") }
        // A clock set back behind the head: no duties for a slot the chain has passed (and no
        // vote made on a state from its future).
        guard state.slot <= slot else {
            note(.clockBehindHead(slot: slot, headSlot: state.slot))
            return nil
        }
        if let shared = config.sharedTransitions?.advancedState(head: head, slot: slot) {
            state = shared
        } else if state.slot < slot {
            do { try state.processSlots(slot) } catch {
                note(.advancingHeadFailed(slot: slot, reason: error))
                return nil
            }
            config.sharedTransitions?.recordAdvanced(state, head: head, slot: slot)
        }
        advancedHead = (slot, head, state)
        return (head, state)
    }

    /// Builds, signs (through slashing protection) and imports the block of `slot` if one of
    /// this node's validators proposes it; an equivocating proposer makes a second one.
    ///
    /// The block holds only verified operations (the pools and the detector take nothing else),
    /// and `produceBlock` re-applies each under the state transition's own rules, dropping what
    /// no longer applies; the block goes through fork choice's import before it goes out, with
    /// the post-state `produceBlock` computed (the same transition, already checked).
    mutating func propose(_ slot: Slot) {
        guard let (head, advanced) = headState(at: slot), let parentState = store.state(head),
            parentState.slot < slot, let proposer = try? advanced.getBeaconProposerIndex(), signer.runs(proposer, at: slot)
        else { return }  // Not ours, or the head already is this slot's block (a restart within the slot).
        // phase0 process_block_header: a slashed proposer's block is invalid.
        guard !advanced.validators[Int(proposer.rawValue)].slashed else {
            note(.proposerSlashed(slot: slot, validator: proposer))
            return
        }
        let commitment = advanced.validators[Int(proposer.rawValue)].randaoCommitment
        guard let reveal = signer.randaoReveal(validator: proposer, commitment: commitment) else {
            note(.noRandaoReveal(validator: proposer))
            return
        }
        let slashings = detector.pendingSlashings(state: advanced)
        var operations = BlockOperations(
            proposerSlashings: slashings.proposer, attesterSlashings: slashings.attester,
            attestations: attestationPool.attestationsForBlock(state: advanced, slot: slot),
            transactions: transactionPool.transactionsForBlock(countMax: Int(advanced.preset.maxTransactions)))
        let proposal: BlockProposal
        do {
            proposal = try parentState.produceBlock(
                slot: slot, randaoReveal: reveal, operations: operations, signatures: config.signatures.strategy)
        } catch {
            note(.producingFailed(slot: slot, reason: error))
            return
        }
        let equivocates = config.byzantine.equivocates(proposer)
        guard let signed = signer.signBlock(proposal.block, parentState: parentState, bypassProtection: equivocates) else {
            note(.signingRefused(kind: "block", slot: slot, validator: proposer))
            return
        }
        importBlock(signed, from: nil, relay: true, producedPostState: proposal.postState)
        guard equivocates else { return }
        // A second, different block for the same slot: the same operations less the last
        // attestation, or, with none to drop, a self-transfer.
        if operations.attestations.isEmpty {
            guard let key = signer.publicKey(proposer) else { return }
            let address = Address(key)
            let transaction = Transaction(
                sender: address, nonce: advanced.accounts[address]?.nonce ?? 0, fee: .zero,
                kind: .transfer(recipient: address, amount: .zero))
            guard let filler = signer.signTransaction(transaction, validator: proposer, state: advanced) else { return }
            operations.transactions = [filler]
        } else {
            operations.attestations.removeLast()
        }
        guard let twin = try? parentState.produceBlock(slot: slot, randaoReveal: reveal, operations: operations),
            twin.block != proposal.block,
            let signedTwin = signer.signBlock(twin.block, parentState: parentState, bypassProtection: true)
        else { return }
        note(.equivocated(kind: "block", slot: slot, validator: proposer))
        importBlock(signedTwin, from: nil, relay: true, producedPostState: twin.postState)
    }

    /// A third into `slot`: each validator of this node in the slot's committee votes on the
    /// head (through slashing protection); an equivocating one votes twice.
    mutating func attest(_ slot: Slot) {
        guard let (head, state) = headState(at: slot) else { return }
        let data = Self.attestationData(slot: slot, head: head, state: state)
        for validator in committee(at: slot, in: state) where signer.runs(validator, at: slot) {
            let equivocates = config.byzantine.equivocates(validator)
            guard let attestation = signer.signAttestation(data, validator: validator, state: state, bypassProtection: equivocates)
            else {
                note(.signingRefused(kind: "attestation", slot: slot, validator: validator))
                continue
            }
            publish(attestation)
            guard equivocates else { continue }
            var conflicting = data
            conflicting.source.root = SHA256.hash(data.source.root)
            guard let twin = signer.signAttestation(conflicting, validator: validator, state: state, bypassProtection: true)
            else { continue }
            note(.equivocated(kind: "attestation", slot: slot, validator: validator))
            // Signed here, so verified by construction; only sent, as a double voter would.
            emit(.broadcast(.attestation(VerifiedAttestation(checked: twin)), except: nil))
        }
    }

    /// phase0 `get_beacon_committee` for duties, from the epoch's shuffling, which is computed
    /// once per epoch and kept while the seed and the active set that fix it stay the same.
    mutating func committee(at slot: Slot, in state: ChainState) -> [ValidatorIndex] {
        let epoch = state.computeEpochAtSlot(slot)
        let seed = state.getSeed(epoch, domainType: .attestation)
        let active = state.getActiveValidatorIndices(epoch)
        if let cached = dutyShuffling, cached.shuffling.epoch == epoch, cached.shuffling.seed == seed, cached.active == active {
            return cached.shuffling.committee(slot)
        }
        let shuffling = state.getEpochShuffling(epoch)
        precondition(shuffling.seed == seed && shuffling.shuffled.count == active.count, "the shuffling is the one keyed")
        dutyShuffling = (active, shuffling)
        return shuffling.committee(slot)
    }

    /// Pools and broadcasts an own attestation (signed here: verified by construction); fork
    /// choice counts it from the next slot.
    private mutating func publish(_ attestation: Attestation) {
        let verified = VerifiedAttestation(checked: attestation)
        attestationPool.insert(verified)
        if let slashing = detector.observe(verified) { emit(.event(.attesterSlashing(slashing))) }
        emit(.broadcast(.attestation(verified), except: nil))
        addWaiting(attestation, from: nil)
    }

    /// phase0 honest-validator attestation data, on the head state advanced to `slot`: head
    /// vote, the state's justified checkpoint as source, and the epoch boundary block as target
    /// (the head itself when the slot starts the epoch).
    public static func attestationData(slot: Slot, head: Root, state: ChainState) -> AttestationData {
        precondition(state.slot == slot, "votes are made on the head state advanced to their slot")
        let epoch = state.computeEpochAtSlot(slot)
        let startSlot = state.computeStartSlotAtEpoch(epoch)
        let targetRoot = startSlot == state.slot ? head : ((try? state.getBlockRoot(epoch)) ?? head)
        return AttestationData(
            slot: slot, beaconBlockRoot: head, source: state.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: epoch, root: targetRoot))
    }
}
