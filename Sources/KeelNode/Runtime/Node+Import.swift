import KeelChain
import KeelConsensus
import KeelCrypto
import Logging

extension Node {
    /// One network event: handshakes start a sync when the peer is ahead; gossip is checked,
    /// imported and forwarded.
    func handle(_ event: PeerEvent) {
        switch event {
        case let .connected(peer, hello):
            peerHeadSlots[peer] = hello.status.headSlot
            recordPeerMetrics()
            if hello.status.headSlot > head.slot && !isSyncing {
                isSyncing = true
                let target = hello.status
                Task { await self.syncByRange(from: peer, to: target) }
            }
        case let .disconnected(peer, _):
            peerHeadSlots[peer] = nil
            recordPeerMetrics()
        case let .message(peer, message):
            handle(message, from: peer)
        }
    }

    private func handle(_ message: WireMessage, from peer: PeerID) {
        switch message {
        case let .block(block):
            importBlock(block, from: peer, relay: true)
        case let .attestation(attestation):
            receiveAttestation(attestation, from: peer)
        case let .proposerSlashing(slashing):
            // Evidence: the detector re-derives it from the two headers and pools it.
            _ = detector.observe(slashing.signedHeader1)
            if detector.observe(slashing.signedHeader2) != nil { network?.broadcast(message, except: peer) }
        case let .attesterSlashing(slashing):
            _ = detector.observe(slashing.attestation1)
            if detector.observe(slashing.attestation2) != nil { network?.broadcast(message, except: peer) }
        case let .transaction(transaction):
            guard transactions.count < Self.transactionCountMax, !transactions.contains(transaction) else { return }
            transactions.append(transaction)
            network?.broadcast(message, except: peer)
        case .hello, .goodbye, .ping, .pong, .blocksByRangeRequest, .blocksByRootRequest, .blocksResponse:
            return  // The network handles these itself.
        }
    }

    /// Checks and imports `block`, then every orphan waiting on it (breadth first, no
    /// recursion); asks `peer` for an unknown parent.
    ///
    /// - Parameters:
    ///   - block: The block.
    ///   - peer: Who sent it (nil for this node's own blocks).
    ///   - relay: Whether to gossip it on once imported (gossip, and own blocks).
    func importBlock(_ block: SignedBlock, from peer: PeerID?, relay: Bool) {
        let root = block.message.hashTreeRoot
        guard !store.contains(root) else { return }
        _ = detector.observe(block)
        store.onTick(max(store.currentSlot, clock.currentSlot))
        guard store.contains(block.message.parentRoot) else {
            addOrphan(block, from: peer)
            if let peer { request([block.message.parentRoot], from: peer) }
            return
        }
        var ready = [(block, peer, relay)]
        var imported = 0
        while let (next, sender, shouldRelay) = ready.popLast() {
            guard imported < Self.orphanCountMax else { break }
            let nextRoot = next.message.hashTreeRoot
            let importStart = ContinuousClock.now
            do {
                try store.onBlock(next, strategy: .verifyIndividually)
            } catch .futureBlock {
                if futureBlocks.count < Self.futureBlockCountMax { futureBlocks.append((next, sender)) }
                continue
            } catch .invalidBlock(let reason) {
                logProblem(.warning, "invalid block", metadata: ["root": "\(nextRoot.hex)", "reason": "\(reason)"])
                if let sender {
                    metrics.recordBlockReceived(valid: false)
                    network?.penalize(sender, .invalidMessage)
                }
                continue
            } catch {
                continue  // Before finality, off the finalized chain, or the store is full.
            }
            imported += 1
            do { try chainDatabase.putBlock(next) } catch {
                logProblem(.error, "storing a block failed", metadata: ["root": "\(nextRoot.hex)", "error": "\(error)"])
            }
            submitForProving(next)
            // Import time: the state transition and fork choice, plus the durable write.
            metrics.recordBlockImport(ContinuousClock.now - importStart)
            if sender != nil { metrics.recordBlockReceived(valid: true) }
            if shouldRelay { network?.broadcast(.block(next), except: sender) }
            logger.info(
                "imported block",
                metadata: [
                    "slot": "\(next.message.slot)", "root": "\(nextRoot.hex.prefix(16))",
                    "proposer": "\(next.message.proposerIndex)", "attestations": "\(next.message.body.attestations.count)",
                ])
            let included = Set(next.message.body.transactions)
            if !included.isEmpty { transactions.removeAll(where: included.contains) }
            for (child, childSender) in takeOrphans(of: nextRoot) { ready.append((child, childSender, false)) }
        }
        guard imported > 0 else { return }
        recordChainMetrics()
        checkFinality()
        retryWaitingAttestations()
        network?.updateStatus(chainStatus)
    }

    /// Hands an imported block to the prover (if this node is one) with its parent's post-state;
    /// the proof is made later, off this actor.
    func submitForProving(_ block: SignedBlock) {
        guard let prover else { return }
        guard let preState = store.state(block.message.parentRoot) else {
            metrics.recordProofFailure()
            logProblem(.error, "cannot prove a block: its parent's state is gone", metadata: ["root": "\(block.message.hashTreeRoot.hex)"])
            return
        }
        prover.submit(block, preState: preState)
    }

    /// Queues the stored blocks that have no proof (at most ``proverStoredCountMax``, oldest
    /// first, canonical or not): those queued when the node last stopped, or imported while it
    /// ran without a prover key.
    ///
    /// A block is proven on its parent's post-state: the store's, an earlier queued block's
    /// (the prover re-executes that one), or one in the database's states. Blocks whose parent
    /// has none of these (below the anchor, off any stored state) are skipped, logged once.
    func submitStoredBlocksForProving() {
        guard let prover else { return }
        let blocks: [SignedBlock]
        let unprovenCount: Int
        do {
            blocks = try chainDatabase.unprovenBlocks(countMax: Self.proverStoredCountMax)
            unprovenCount = try chainDatabase.unprovenBlockCount()
        } catch {
            logProblem(.error, "prover: reading the stored blocks without a proof failed", metadata: ["error": "\(error)"])
            return
        }
        guard !blocks.isEmpty else { return }
        precondition(blocks.count <= unprovenCount, "a page of the unproven blocks is no more than all of them")
        var entries: [NodeProver.StoredBlock] = []
        var entryIndices: [Root: Int] = [:]
        var skipped = 0
        for block in blocks {
            let parent = block.message.parentRoot
            let preState = store.state(parent)
            if preState == nil {
                if let index = entryIndices[parent] {
                    entries[index].postStateUses += 1
                } else if (try? chainDatabase.hasState(blockRoot: parent)) != true {
                    skipped += 1
                    continue
                }
            }
            entryIndices[block.message.hashTreeRoot] = entries.count
            entries.append(NodeProver.StoredBlock(block: block, preState: preState, postStateUses: 0))
        }
        precondition(entries.count + skipped == blocks.count, "every block is queued or skipped")
        if skipped > 0 {
            logProblem(
                .warning, "prover: stored blocks without a proof whose parent state is not available are skipped",
                metadata: ["skipped": "\(skipped)"])
        }
        logger.info(
            "prover: queuing stored blocks without a proof",
            metadata: [
                "queued": "\(entries.count)", "skipped": "\(skipped)", "left_for_next_start": "\(unprovenCount - blocks.count)",
                "first_slot": "\(blocks[0].message.slot)",
            ])
        prover.submitStored(entries)
    }

    private func addOrphan(_ block: SignedBlock, from peer: PeerID?) {
        guard orphanCount < Self.orphanCountMax else { return }
        let parent = block.message.parentRoot
        guard !(orphans[parent]?.contains(where: { $0.0 == block }) ?? false) else { return }
        orphans[parent, default: []].append((block, peer))
        orphanCount += 1
    }

    private func takeOrphans(of parent: Root) -> [(SignedBlock, PeerID?)] {
        let children = orphans.removeValue(forKey: parent) ?? []
        orphanCount -= children.count
        precondition(orphanCount >= 0, "the orphan count follows the orphans")
        return children
    }

    /// Asks again for the parents of waiting orphans (a request may have been lost with its
    /// connection): from the orphan's sender if still connected, else from any peer.
    func requestMissingParents() {
        let connected = peerHeadSlots.keys.sorted()
        guard let fallback = connected.first else { return }
        for (parent, children) in orphans.prefix(Self.parentRequestsPerSlotMax) where !store.contains(parent) {
            let sender = children.compactMap(\.1).first { peerHeadSlots[$0] != nil } ?? fallback
            request([parent], from: sender)
        }
    }

    func retryFutureBlocks() {
        let waiting = futureBlocks
        futureBlocks = []
        for (block, peer) in waiting { importBlock(block, from: peer, relay: peer != nil) }
    }

    /// Asks `peer` for blocks by root (once per root at a time) and imports the answer.
    func request(_ roots: [Root], from peer: PeerID) {
        let wanted = roots.filter { !requestedRoots.contains($0) && !store.contains($0) }
        guard !wanted.isEmpty, let network else { return }
        requestedRoots.formUnion(wanted)
        Task {
            let blocks = (try? await network.requestBlocksByRoot(peer, roots: wanted)) ?? []
            await self.receiveRequested(blocks, roots: wanted, from: peer)
        }
    }

    private func receiveRequested(_ blocks: [SignedBlock], roots: [Root], from peer: PeerID) {
        requestedRoots.subtract(roots)
        for block in blocks.sorted(by: { $0.message.slot < $1.message.slot }) {
            importBlock(block, from: peer, relay: false)
        }
    }

    /// Sync by range from `peer` in batches of ``rangeBatchSlotCount`` slots up to its announced
    /// head, then by root for the head itself (its missing ancestors follow as orphans).
    func syncByRange(from peer: PeerID, to target: ChainStatus) async {
        defer { isSyncing = false }
        let finalizedSlot = store.slot(of: store.finalizedCheckpoint.root) ?? Slot(0)
        var start = finalizedSlot.rawValue + 1
        logger.info("syncing", metadata: ["peer": "\(peer)", "from_slot": "\(start)", "to_slot": "\(target.headSlot)"])
        while start <= target.headSlot.rawValue, let network, !isShutDown {
            let blocks: [SignedBlock]
            do {
                blocks = try await network.requestBlocksByRange(peer, startSlot: Slot(start), count: Self.rangeBatchSlotCount)
            } catch {
                logger.info("range sync stopped", metadata: ["peer": "\(peer)", "error": "\(error)"])
                return
            }
            for block in blocks { importBlock(block, from: peer, relay: false) }
            start += Self.rangeBatchSlotCount
        }
        request([target.headRoot], from: peer)
    }

    // MARK: Attestations

    /// `early`: from the current slot or epoch, so it counts later: wait for time, not for a
    /// block (as KeelSim's `Simulator+Network.swift` does).
    private enum Acceptance { case accepted, rejected(penalize: Bool), early, missing(Root) }

    func receiveAttestation(_ attestation: Attestation, from peer: PeerID?) {
        _ = detector.observe(attestation)
        switch accept(attestation, from: peer) {
        case .accepted:
            if peer != nil { metrics.recordAttestationReceived(valid: true) }
        case let .rejected(penalize):
            if peer != nil { metrics.recordAttestationReceived(valid: false) }
            if penalize, let peer { network?.penalize(peer, .invalidMessage) }
        case .early:
            addWaiting(attestation, from: peer)
        case let .missing(root):
            addWaiting(attestation, from: peer)
            if let peer { request([root], from: peer) }
        }
    }

    private func accept(_ attestation: Attestation, from peer: PeerID?) -> Acceptance {
        do {
            try store.onAttestation(attestation, isFromBlock: false, verifySignature: true)
            _ = pool.insert(attestation)
            network?.broadcast(.attestation(attestation), except: peer)
            return .accepted
        } catch .invalidAttestation(.unknownHeadBlock(let root)) {
            return .missing(root)
        } catch .invalidAttestation(.unknownTargetRoot(let root)) {
            return .missing(root)
        } catch .invalidAttestation(.futureSlot) {
            return .early
        } catch .invalidAttestation(.futureTargetEpoch) {
            return .early
        } catch .invalidAttestation(.badSignature) {
            return .rejected(penalize: true)
        } catch {
            return .rejected(penalize: false)
        }
    }

    private func addWaiting(_ attestation: Attestation, from peer: PeerID?) {
        guard waitingAttestations.count < Self.waitingAttestationCountMax else { return }
        waitingAttestations.append((attestation, peer))
    }

    func retryWaitingAttestations() {
        let waiting = waitingAttestations
        waitingAttestations = []
        for (attestation, peer) in waiting {
            // A peer's attestation that waited is counted once, when its fate is known.
            switch accept(attestation, from: peer) {
            case .missing, .early: addWaiting(attestation, from: peer)
            case .accepted: if peer != nil { metrics.recordAttestationReceived(valid: true) }
            case .rejected: if peer != nil { metrics.recordAttestationReceived(valid: false) }
            }
        }
    }

    // MARK: Finality

    /// Logs a finality change and persists the finalized state as the new anchor.
    func checkFinality() {
        let finalized = store.finalizedCheckpoint
        guard finalized.epoch > persistedFinalized.epoch else { return }
        persistedFinalized = finalized
        logger.info("finalized", metadata: ["epoch": "\(finalized.epoch)", "root": "\(finalized.root.hex.prefix(16))"])
        guard let state = store.state(finalized.root) else { return }
        detector.prune(finalizedState: state)
        do {
            try chainDatabase.putState(blockRoot: finalized.root, state: state)
            try chainDatabase.setAnchor(
                ForkChoiceAnchor(blockRoot: finalized.root, finalized: finalized, justified: store.justifiedCheckpoint))
            // Blocks stay (peers sync from them); only the states below the anchor go. The
            // database prunes blocks and states together, so nothing is pruned here yet.
        } catch {
            logProblem(.error, "persisting the finalized anchor failed", metadata: ["error": "\(error)"])
        }
    }
}
