import KeelChain
import KeelConsensus
import KeelCrypto

extension Simulator {
    /// Sends `message` from `node` to every node (itself at once) through the network model.
    /// Gossip is modelled by its result, one delivery per receiver, not hop by hop.
    mutating func broadcast(_ message: SimMessage, from node: Int, time: UInt64) {
        let sentEpoch = time / config.slotMs / slotsPerEpochValue
        for receiver in nodes.indices {
            if let arrival = network.deliveryTime(from: node, to: receiver, sentAt: time, epoch: sentEpoch) {
                queue.push(.deliver(node: receiver, sender: node, message), at: arrival)
            }
        }
    }

    /// An equivocation: the sender's half hears `first` first, the other half `second`; each
    /// version then reaches the rest one relay hop later.
    mutating func broadcastSplit(first: SimMessage, second: SimMessage, from node: Int, time: UInt64) {
        let sentEpoch = time / config.slotMs / slotsPerEpochValue
        let senderSide = network.side(node)
        for receiver in nodes.indices {
            let (early, late) = network.side(receiver) == senderSide ? (first, second) : (second, first)
            if let arrival = network.deliveryTime(from: node, to: receiver, sentAt: time, epoch: sentEpoch) {
                queue.push(.deliver(node: receiver, sender: node, early), at: arrival)
                queue.push(.deliver(node: receiver, sender: node, late), at: arrival + config.latencyMs)
            }
        }
    }

    private var slotsPerEpochValue: UInt64 { config.preset.slotsPerEpoch }

    mutating func deliver(_ message: SimMessage, to node: Int, from sender: Int, time: UInt64) {
        switch message {
        case let .block(block): receiveBlock(block, at: node, from: sender, time: time)
        case let .attestation(attestation): receiveAttestation(attestation, at: node, from: sender, time: time)
        }
    }

    private mutating func receiveBlock(_ block: SignedBlock, at node: Int, from sender: Int, time: UInt64) {
        let root = block.message.hashTreeRoot
        guard !nodes[node].store.contains(root) else { return }
        ledger.recordBlock(root, parent: block.message.parentRoot, slot: block.message.slot)
        _ = nodes[node].detector.observe(block)
        guard nodes[node].store.contains(block.message.parentRoot) else {
            nodes[node].addOrphan(block)
            requestBlock(block.message.parentRoot, for: node, from: sender, time: time)
            return
        }
        importChain(block, root: root, at: node)
    }

    /// Imports `block` and then every orphan waiting on it, breadth first (no recursion).
    private mutating func importChain(_ block: SignedBlock, root: Root, at node: Int) {
        var ready = [(block, root)]
        while let (next, nextRoot) = ready.popLast() {
            do {
                try nodes[node].store.onBlock(next, strategy: strategy)
            } catch {
                continue  // an invalid block, or one that arrived after finality moved past it
            }
            blocksImported += 1
            for child in nodes[node].takeOrphans(of: nextRoot) { ready.append((child, child.message.hashTreeRoot)) }
            checkFinality(of: node)
        }
        retryWaitingAttestations(at: node)
    }

    /// Sync by root: the sender answers with the block one round trip later, if it has it and
    /// the network lets the exchange through.
    private mutating func requestBlock(_ root: Root, for node: Int, from sender: Int, time: UInt64) {
        guard sender != node, let block = nodes[sender].store.block(root) else { return }
        let epoch = time / config.slotMs / slotsPerEpochValue
        guard let there = network.deliveryTime(from: node, to: sender, sentAt: time, epoch: epoch),
            let back = network.deliveryTime(from: sender, to: node, sentAt: there, epoch: epoch)
        else { return }
        queue.push(.deliver(node: node, sender: sender, .block(block)), at: back)
    }

    private mutating func receiveAttestation(_ attestation: Attestation, at node: Int, from sender: Int, time: UInt64) {
        if let evidence = nodes[node].detector.observe(attestation) { _ = evidence }
        switch accept(attestation, at: node) {
        case .accepted, .rejected: return
        case .early:
            nodes[node].addWaiting(attestation)
        case let .missing(root):
            nodes[node].addWaiting(attestation)
            requestBlock(root, for: node, from: sender, time: time)
        }
    }

    /// `early`: valid-looking but from the current slot, so it counts from the next one: wait
    /// for time, not for a block (asking peers for a block already held only costs messages).
    private enum Acceptance { case accepted, rejected, early, missing(Root) }

    private mutating func accept(_ attestation: Attestation, at node: Int) -> Acceptance {
        do {
            try nodes[node].store.onAttestation(attestation, isFromBlock: false, verifySignature: !config.skipSignatures)
            _ = nodes[node].pool.insert(attestation)
            return .accepted
        } catch .invalidAttestation(.unknownHeadBlock(let root)) {
            return .missing(root)
        } catch .invalidAttestation(.unknownTargetRoot(let root)) {
            return .missing(root)
        } catch .invalidAttestation(.futureSlot) {
            return .early
        } catch {
            return .rejected
        }
    }

    mutating func retryWaitingAttestations(at node: Int) {
        let waiting = nodes[node].waitingAttestations
        nodes[node].waitingAttestations = []
        for attestation in waiting {
            switch accept(attestation, at: node) {
            case .missing, .early: nodes[node].addWaiting(attestation)
            case .accepted, .rejected: continue
            }
        }
    }

    /// Records `node`'s finalized checkpoint in the ledger; a conflict is a safety violation.
    private mutating func checkFinality(of node: Int) {
        let checkpoint = nodes[node].store.finalizedCheckpoint
        guard checkpoint.epoch.rawValue > 0 else { return }
        if let conflict = ledger.recordFinalized(epoch: checkpoint.epoch.rawValue, root: checkpoint.root) {
            safetyViolation = conflict + " (seen on node \(node))"
        }
    }

    /// What the first node sees of `epoch`, one slot into the next epoch.
    mutating func makeReport(epoch: UInt64) -> EpochReport {
        let store = nodes[0].store
        let head = store.getHead()
        let state = store.state(head)!
        let boundary = Slot(epoch * slotsPerEpochValue)
        let targetRoot = boundary < state.slot ? (try? state.getBlockRootAtSlot(boundary)) : head
        var voted = Set<ValidatorIndex>()
        for pending in state.previousEpochAttestations + state.currentEpochAttestations
        where pending.data.target.epoch.rawValue == epoch && pending.data.target.root == targetRoot {
            voted.insert(pending.validatorIndex)
        }
        let active = state.getActiveValidatorIndices(Epoch(epoch))
        let total = active.reduce(UInt64(0)) { $0 + state.validators[Int($1.rawValue)].effectiveStake.rawValue }
        let votedStake = active.filter(voted.contains).reduce(UInt64(0)) {
            $0 + state.validators[Int($1.rawValue)].effectiveStake.rawValue
        }
        return EpochReport(
            epoch: epoch, headSlot: state.latestBlockHeader.slot.rawValue,
            justifiedEpoch: store.justifiedCheckpoint.epoch.rawValue, finalizedEpoch: store.finalizedCheckpoint.epoch.rawValue,
            participation: total == 0 ? 0 : Double(votedStake) / Double(total),
            slashed: state.validators.filter(\.slashed).count)
    }
}
