import KeelChain

extension NodeCore {
    /// Checks and imports `block`, then every orphan waiting on it (breadth first, no
    /// recursion); a block whose parent is unknown is held and its missing ancestor asked for.
    ///
    /// - Parameters:
    ///   - block: The block.
    ///   - peer: Who sent it (nil for this node's own blocks).
    ///   - relay: Whether to gossip it on once imported (gossip and own blocks).
    ///   - producedPostState: For an own block, the post-state `produceBlock` computed while
    ///     checking every operation under the state transition's rules: importing it does not
    ///     run the same transition again.
    mutating func importBlock(_ block: SignedBlock, from peer: PeerID?, relay: Bool, producedPostState: ChainState? = nil) {
        let root = block.message.hashTreeRoot
        guard !store.contains(root) else { return }
        guard store.contains(block.message.parentRoot) else {
            holdOrphan(block, root: root, from: peer)
            return
        }
        var ready = [(block: block, root: root, sender: peer, relay: relay, postState: producedPostState)]
        var imported = 0
        while let next = ready.popLast(), imported < config.importChainCountMax {
            guard importOne(next.block, root: next.root, from: next.sender, relay: next.relay, producedPostState: next.postState)
            else { continue }
            imported += 1
            for child in orphans.takeChildren(of: next.root) {
                ready.append((child.block, child.root, child.sender, false, nil))
            }
        }
        guard imported > 0 else { return }
        checkFinality()
        retryWaitingAttestations()
        reportStatusIfChanged()
    }

    /// One block through the store; true if it was imported.
    private mutating func importOne(
        _ block: SignedBlock, root: Root, from sender: PeerID?, relay: Bool, producedPostState: ChainState?
    ) -> Bool {
        guard let preState = store.state(block.message.parentRoot) else { return false }
        do {
            let shared = config.sharedTransitions?.postState(of: root)
            try store.onBlock(
                block, strategy: strategy(for: block), verifyBatch: config.verifyBatch, knownPostState: producedPostState ?? shared)
            // Only a checked transition is shared: a producer's own post-state is not, so in the
            // simulator the first core to receive a block runs the full transition (signatures
            // included) and would reject a block on which `produceBlock` and `processBlock`
            // disagreed.
            if shared == nil, producedPostState == nil, let sharedTransitions = config.sharedTransitions,
                let state = store.state(root)
            {
                sharedTransitions.record(state, of: root)
            }
        } catch .futureBlock {
            if futureBlocks.count < config.futureBlockCountMax { futureBlocks.append((block, sender)) }
            return false
        } catch .invalidBlock(let reason) {
            note(.invalidBlock(root: root, reason: reason, from: sender))
            if let sender {
                note(.blockJudged(valid: false, from: sender))
                emit(.penalize(sender, .invalidBlock))
            }
            return false
        } catch {
            return false  // Before finality, off the finalized chain, or the store is full.
        }
        let imported = ImportedBlock(imported: block, root: root)
        let found = detector.observe(imported)
        transactionPool.remove(block.message.body.transactions.map(\.hashTreeRoot))
        requestedRoots[root] = nil
        if let sender { note(.blockJudged(valid: true, from: sender)) }
        emit(.blockImported(imported, preState: preState, from: sender))
        emit(.event(.block(slot: block.message.slot, block: root)))
        for slashing in found.proposer { emit(.event(.proposerSlashing(slashing))) }
        for slashing in found.attester { emit(.event(.attesterSlashing(slashing))) }
        if relay { emit(.broadcast(.block(imported), except: sender)) }
        return true
    }

    /// Signatures checked one by one for small blocks, as one batch (on every core, in the
    /// node) for blocks carrying many.
    private func strategy(for block: SignedBlock) -> SignatureStrategy {
        guard config.signatures == .verify else { return .skip }
        let body = block.message.body
        let count = 1 + body.attestations.count + 2 * body.proposerSlashings.count + 2 * body.attesterSlashings.count
            + body.transactions.count
        return count >= config.batchSignatureCountMin ? .collect : .verifyIndividually
    }

    /// Holds a block whose parent is unknown and asks its sender for what is missing: the
    /// missing ancestor by root, or, when the block lies more than a slot ahead of the head
    /// (a fork or a gap, as after a partition heals), the sender's chain by range.
    private mutating func holdOrphan(_ block: SignedBlock, root: Root, from peer: PeerID?) {
        guard orphans.add(block, root: root, sender: peer), let peer else { return }
        let missing = orphans.missingAncestor(of: root)
        if block.message.slot.rawValue > head.slot.rawValue + 1 || missing != block.message.parentRoot {
            startRangeSync(from: peer, targetRoot: root, targetSlot: block.message.slot)
        }
        request([missing], from: peer, at: store.currentSlot)
    }

    /// Asks `peer` for `roots` not held and not asked for in this slot already.
    mutating func request(_ roots: [Root], from peer: PeerID, at slot: Slot) {
        let wanted = roots.filter { root in
            !store.contains(root) && !orphans.contains(root) && (requestedRoots[root].map { $0 < slot } ?? true)
        }
        guard !wanted.isEmpty else { return }
        for root in wanted { requestedRoots[root] = slot }
        emit(.requestBlocksByRoot(wanted, from: peer))
    }

    /// At each slot start: asks again for the missing ancestors of held orphans (a request or
    /// its answer may have been lost), from the orphan's sender if still connected, else from
    /// a connected peer chosen by slot.
    mutating func requestMissingParents(at slot: Slot) {
        let connected = peers.keys.sorted()
        guard !connected.isEmpty else { return }
        requestedRoots = requestedRoots.filter { $0.value.rawValue + 2 * store.preset.slotsPerEpoch > slot.rawValue }
        for (position, missing) in orphans.missingRoots().prefix(config.parentRequestsPerSlotMax).enumerated() {
            let fallback = connected[(Int(slot.rawValue % UInt64(connected.count)) + position) % connected.count]
            let sender = missing.sender.flatMap { peers[$0] != nil ? $0 : nil } ?? fallback
            request([missing.root], from: sender, at: slot)
        }
    }

    mutating func retryFutureBlocks() {
        let waiting = futureBlocks
        futureBlocks = []
        for (block, sender) in waiting { importBlock(block, from: sender, relay: sender != nil) }
    }

    mutating func receiveBlocksByRoot(_ blocks: [SignedBlock], requested: [Root], from peer: PeerID) {
        let asked = Set(requested)
        for block in blocks.sorted(by: { $0.message.slot < $1.message.slot }) where asked.contains(block.message.hashTreeRoot) {
            importBlock(block, from: peer, relay: false)
        }
    }
}
