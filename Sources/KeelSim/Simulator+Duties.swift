import KeelChain
import KeelConsensus
import KeelCrypto

extension Simulator {
    /// A slot begins: every node ticks; the proposer, on its own node's view, proposes.
    mutating func startSlot(_ slot: Slot, time: UInt64) {
        for index in nodes.indices {
            nodes[index].store.onTick(slot)
            nodes[index].pool.prune(currentSlot: slot)
            // Votes of the slot that just ended count from now on (phase0 `on_attestation`).
            retryWaitingAttestations(at: index)
        }
        for node in nodes.indices {
            let (_, state) = nodes[node].headState(at: slot)
            guard let proposer = try? state.getBeaconProposerIndex() else { continue }
            let validator = Int(proposer.rawValue)
            guard config.node(of: validator) == node, !config.isOffline(validator, epoch: epoch(of: slot)) else { continue }
            propose(slot: slot, validator: validator, node: node, time: time)
        }
    }

    /// Builds, signs and broadcasts the block of `slot`; an equivocator makes two.
    private mutating func propose(slot: Slot, validator: Int, node: Int, time: UInt64) {
        let head = nodes[node].store.getHead()
        guard let parentState = nodes[node].store.state(head) else { return }
        let (_, advanced) = nodes[node].headState(at: slot)
        guard let reveal = randaoChains[validator].reveal(number: revealsUsed[validator] + 1) else { return }
        let slashings = nodes[node].detector.pendingSlashings(state: advanced)
        var operations = BlockOperations(
            proposerSlashings: slashings.proposer, attesterSlashings: slashings.attester,
            attestations: nodes[node].pool.attestationsForBlock(state: advanced, slot: slot))
        guard let proposal = try? parentState.produceBlock(slot: slot, randaoReveal: reveal, operations: operations) else {
            return
        }
        let signed = sign(proposal.block, validator: validator, state: parentState)
        if !config.isEquivocator(validator) {
            guard protection[validator].recordBlock(slot: slot, signingRoot: parentState.signingRoot(of: proposal.block)).maySign
            else { return }
        }
        revealsUsed[validator] += 1
        guard config.isEquivocator(validator) else {
            broadcast(.block(signed), from: node, time: time)
            return
        }
        // A second, different block for the same slot: the same operations less the last
        // attestation, or, with none to drop, a self-transfer.
        if operations.attestations.isEmpty {
            operations.transactions = [selfTransfer(validator: validator, state: advanced)]
        } else {
            operations.attestations.removeLast()
        }
        guard let twin = try? parentState.produceBlock(slot: slot, randaoReveal: reveal, operations: operations),
            twin.block != proposal.block
        else {
            broadcast(.block(signed), from: node, time: time)
            return
        }
        offenceEpochs[validator] = offenceEpochs[validator] ?? epoch(of: slot)
        let signedTwin = sign(twin.block, validator: validator, state: parentState)
        // Each half of the network hears one version first; relays bring the other later.
        broadcastSplit(first: .block(signed), second: .block(signedTwin), from: node, time: time)
    }

    private func sign(_ block: Block, validator: Int, state: ChainState) -> SignedBlock {
        SignedBlock(message: block, signature: signature(state.signingRoot(of: block), validator: validator))
    }

    func signature(_ root: Root, validator: Int) -> Signature {
        config.skipSignatures ? Signature(bytes: [UInt8](repeating: 0, count: 64))! : secretKeys[validator].sign(root)
    }

    private func selfTransfer(validator: Int, state: ChainState) -> SignedTransaction {
        let address = Address(publicKeys[validator])
        let transaction = Transaction(
            sender: address, nonce: state.accounts[address]?.nonce ?? 0, fee: .zero,
            kind: .transfer(recipient: address, amount: .zero))
        return SignedTransaction(message: transaction, signature: signature(state.signingRoot(of: transaction), validator: validator))
    }

    /// A third into `slot`: each online validator with this duty votes on its node's head.
    mutating func attest(_ slot: Slot, time: UInt64) {
        for node in nodes.indices {
            let (head, state) = nodes[node].headState(at: slot)
            let data = attestationData(slot: slot, head: head, state: state)
            let signingRoot = state.signingRoot(of: data)
            for validatorIndex in state.getBeaconCommittee(slot) {
                let validator = Int(validatorIndex.rawValue)
                guard config.node(of: validator) == node, !config.isOffline(validator, epoch: epoch(of: slot)) else { continue }
                if config.isEquivocator(validator) {
                    attestTwice(validator, data: data, state: state, node: node, time: time)
                    continue
                }
                guard protection[validator].recordAttestation(
                    source: data.source.epoch, target: data.target.epoch, signingRoot: signingRoot).maySign
                else { continue }
                let attestation = Attestation(
                    validatorIndex: validatorIndex, data: data, signature: signature(signingRoot, validator: validator))
                broadcast(.attestation(attestation), from: node, time: time)
            }
        }
    }

    /// phase0 honest-validator attestation data, on the head state advanced to `slot`: head
    /// vote, the state's justified checkpoint as source, and the epoch boundary block as target
    /// (the head itself when the slot starts the epoch).
    private func attestationData(slot: Slot, head: Root, state: ChainState) -> AttestationData {
        precondition(state.slot == slot, "votes are made on the head state advanced to their slot")
        let epoch = state.computeEpochAtSlot(slot)
        let startSlot = state.computeStartSlotAtEpoch(epoch)
        let targetRoot = startSlot == state.slot ? head : ((try? state.getBlockRoot(epoch)) ?? head)
        return AttestationData(
            slot: slot, beaconBlockRoot: head, source: state.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: epoch, root: targetRoot))
    }

    /// A double vote: the honest data, and the same target with a different source root.
    private mutating func attestTwice(_ validator: Int, data: AttestationData, state: ChainState, node: Int, time: UInt64) {
        var conflicting = data
        conflicting.source.root = SHA256.hash(data.source.root)
        offenceEpochs[validator] = offenceEpochs[validator] ?? data.target.epoch.rawValue
        let index = ValidatorIndex(UInt64(validator))
        let honest = Attestation(validatorIndex: index, data: data, signature: signature(state.signingRoot(of: data), validator: validator))
        let twin = Attestation(
            validatorIndex: index, data: conflicting, signature: signature(state.signingRoot(of: conflicting), validator: validator))
        broadcastSplit(first: .attestation(honest), second: .attestation(twin), from: node, time: time)
    }
}
