import KeelChain
import KeelConsensus
import KeelCrypto

extension Simulator {
    /// Carries out a core's actions: the simulated network for messages and requests, the
    /// ledger for imports and finality.
    mutating func perform(_ actions: [NodeAction], node: Int, time: UInt64) {
        for action in actions {
            switch action {
            case let .broadcast(gossip, except):
                checkNotForged(gossip, relayedBy: node)
                // Without loss, gossip is modelled by its result: one delivery per receiver from
                // the origin, and relays add nothing. Under loss, relay hops are modelled too
                // (each node passes on what it accepted once), as a gossip mesh would.
                if except == nil || config.lossProbability > 0 {
                    broadcast(gossip.message, from: node, except: except, time: time)
                }
            case let .requestBlocksByRoot(roots, peer):
                let target = Int(peer.rawValue)
                let archive = target < archives.count ? archives[target] : [:]
                answer(node: node, target: target, time: time, failed: .blocksByRoot([], requested: roots, from: peer, failed: true)) {
                    .blocksByRoot($0.blocks(roots: roots, countMax: 64) { archive[$0] }, requested: roots, from: peer, failed: false)
                }
            case let .requestBlocksByRange(startSlot, count, peer):
                let target = Int(peer.rawValue)
                let failure = NodeEvent.blocksByRange([], startSlot: startSlot, count: count, from: peer, failed: true)
                let archive = target < archives.count ? archives[target] : [:]
                answer(node: node, target: target, time: time, failed: failure) {
                    .blocksByRange(
                        $0.canonicalBlocks(startSlot: startSlot, count: count) { archive[$0] }, startSlot: startSlot, count: count,
                        from: peer, failed: false)
                }
            case let .blockImported(imported, _, _):
                blocksImported += 1
                archives[node][imported.root] = imported.block
                checkNotForged(.block(imported), relayedBy: node)
                ledger.recordBlock(imported.root, parent: imported.block.message.parentRoot, slot: imported.block.message.slot)
            case let .finalized(checkpoint, _, _):
                if let conflict = ledger.recordFinalized(epoch: checkpoint.epoch.rawValue, root: checkpoint.root) {
                    safetyViolation = conflict + " (seen on node \(node))"
                }
            case let .penalize(peer, _):
                if Int(peer.rawValue) == forgerNode { forgerPenalties += 1 }
            case let .note(.equivocated(_, slot, validator)):
                offenceEpochs[Int(validator.rawValue)] = min(offenceEpochs[Int(validator.rawValue)] ?? .max, epoch(of: slot))
            case .note, .statusChanged, .event:
                continue
            }
        }
    }

    /// Sends `message` from `node` to every other node (but `except`) through the network model.
    private mutating func broadcast(_ message: GossipMessage, from node: Int, except: PeerID? = nil, time: UInt64) {
        let sentEpoch = time / config.slotMs / slotsPerEpoch
        let sender = PeerID(UInt64(node))
        if config.lossProbability > 0 { seenGossip[node].current.insert(message.root) }
        for receiver in cores.indices where receiver != node && PeerID(UInt64(receiver)) != except {
            if let arrival = network.deliveryTime(from: node, to: receiver, sentAt: time, epoch: sentEpoch) {
                queue.push(.deliver(node: receiver, message.event(from: sender)), at: arrival)
            }
        }
    }

    /// A request from `node` to `target`: the answer arrives a round trip later if neither leg
    /// is lost; otherwise the failure arrives when the request times out.
    private mutating func answer(
        node: Int, target: Int, time: UInt64, failed: NodeEvent, _ respond: (NodeCore<SimSigner>) -> NodeEvent
    ) {
        let epoch = time / config.slotMs / slotsPerEpoch
        guard target != node, target < cores.count,
            let there = network.deliveryTime(from: node, to: target, sentAt: time, epoch: epoch),
            let back = network.deliveryTime(from: target, to: node, sentAt: there, epoch: epoch)
        else {
            queue.push(.deliver(node: node, failed), at: time + requestTimeoutMs)
            return
        }
        queue.push(.deliver(node: node, respond(cores[target])), at: back)
    }

    /// The forger's forgeries of `slot`, sent to every honest node.
    mutating func forge(_ slot: Slot, time: UInt64) {
        guard let forgerNode, var forger else { return }
        let head = cores[forgerNode].head.root
        var state = cores[forgerNode].headState
        if state.slot < slot { try? state.processSlots(slot) }
        guard state.slot == slot else { return }
        let forged = forger.forgeries(slot: slot, head: head, state: state)
        self.forger = forger
        forgeriesSent += forged.count
        for message in forged {
            forgedDigests.insert(message.root)
            broadcast(message, from: forgerNode, time: time)
        }
    }

    /// Counts gossip that an honest core sends on (or a block it imports) which is one of the
    /// forger's messages: the trust boundary failed.
    private mutating func checkNotForged(_ gossip: Gossip, relayedBy node: Int) {
        guard forgerNode != nil, node != forgerNode, forgedDigests.contains(gossip.message.root) else { return }
        forgeriesAccepted += 1
    }

    /// Whether `event` is gossip `node` has not received before (always true without loss, when
    /// no relayed copies travel), recording it.
    mutating func isFirstCopy(_ event: NodeEvent, at node: Int) -> Bool {
        guard config.lossProbability > 0, let message = GossipMessage(event) else { return true }
        let digest = message.root
        guard !seenGossip[node].current.contains(digest), !seenGossip[node].previous.contains(digest) else { return false }
        seenGossip[node].current.insert(digest)
        return true
    }
}
