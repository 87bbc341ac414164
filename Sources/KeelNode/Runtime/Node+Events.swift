import KeelChain
import KeelConsensus
import KeelCrypto
import KeelFormats
import Logging

extension Node {
    /// One network event, turned into the core's event: handshakes and departures, and each
    /// decoded gossip message (unverified: the core checks it).
    func handle(_ event: PeerEvent) {
        switch event {
        case let .connected(peer, hello):
            deliver(.peerConnected(peer, hello.status))
            recordPeerMetrics()
        case let .disconnected(peer, _):
            deliver(.peerDisconnected(peer))
            recordPeerMetrics()
        case let .message(peer, message):
            guard let gossip = message.gossip else { return }  // The network handles the rest.
            deliver(gossip.event(from: peer))
        }
    }

    /// Hands `event` to the core, after moving the core's time to the clock's, and carries out
    /// what it asks.
    func deliver(_ event: NodeEvent) {
        guard !isShutDown else { return }
        let now = clock.currentSlot
        if now > core.store.currentSlot { perform(core.handle(.tick(now))) }
        handleTimed(event)
    }

    /// Hands `event` to the core and carries out its actions, timing both: each block imported
    /// is recorded in `keel_block_import_seconds` with its share of the time (state transition,
    /// fork choice and the database write).
    func handleTimed(_ event: NodeEvent) {
        let start = ContinuousClock.now
        let actions = core.handle(event)
        perform(actions)
        let imported = actions.reduce(0) { count, action in
            if case .blockImported = action { return count + 1 }
            return count
        }
        guard imported > 0 else { return }
        let share = (ContinuousClock.now - start) / imported
        for _ in 0..<imported { metrics.recordBlockImport(share) }
    }

    /// Carries out the core's actions in order.
    func perform(_ actions: [NodeAction]) {
        for action in actions {
            switch action {
            case let .broadcast(gossip, except):
                network?.broadcast(WireMessage(gossip.message), except: except)
            case let .requestBlocksByRoot(roots, peer):
                requestBlocksByRoot(roots, from: peer)
            case let .requestBlocksByRange(startSlot, count, peer):
                requestBlocksByRange(startSlot: startSlot, count: count, from: peer)
            case let .blockImported(imported, preState, sender):
                persist(imported, preState: preState, from: sender)
            case let .finalized(checkpoint, state, justified):
                persistFinalized(checkpoint, state: state, justified: justified)
            case let .penalize(peer, offence):
                network?.penalize(peer, PeerPenalty(reason: offence.description, points: PeerPenalty.invalidMessage.points))
            case let .note(note):
                record(note)
            case let .statusChanged(status):
                network?.updateStatus(status)
                recordChainMetrics()
            case let .event(event):
                events.publish(APIEventJSON.serverSentEvent(event))
            }
        }
    }

    private func requestBlocksByRoot(_ roots: [Root], from peer: PeerID) {
        guard let network else { return }
        Task {
            let blocks = try? await network.requestBlocksByRoot(peer, roots: roots)
            await self.deliver(.blocksByRoot(blocks ?? [], requested: roots, from: peer, failed: blocks == nil))
        }
    }

    private func requestBlocksByRange(startSlot: Slot, count: UInt64, from peer: PeerID) {
        guard let network else { return }
        Task {
            let blocks = try? await network.requestBlocksByRange(peer, startSlot: startSlot, count: count)
            await self.deliver(.blocksByRange(blocks ?? [], startSlot: startSlot, count: count, from: peer, failed: blocks == nil))
        }
    }

    /// Stores an imported block durably, hands it to the prover, and logs and counts it.
    private func persist(_ imported: ImportedBlock, preState: ChainState, from sender: PeerID?) {
        let block = imported.block
        do { try chainDatabase.putBlock(block) } catch {
            logProblem(.error, "storing a block failed", metadata: ["root": "\(imported.root.hex)", "error": "\(error)"])
        }
        storeReceipts(imported, preState: preState)
        prover?.submit(block, preState: preState)
        if sender != nil { metrics.recordBlockReceived(valid: true) }
        logger.info(
            "imported block",
            metadata: [
                "slot": "\(block.message.slot)", "root": "\(imported.root.hex.prefix(16))",
                "proposer": "\(block.message.proposerIndex)", "attestations": "\(block.message.body.attestations.count)",
            ])
    }

    /// Recomputes the block's receipts on its pre-state, stores them, and publishes each
    /// transaction's inclusion. Only blocks with transactions pay for the re-execution.
    private func storeReceipts(_ imported: ImportedBlock, preState: ChainState) {
        let block = imported.block.message
        guard !block.body.transactions.isEmpty else { return }
        let receipts: [APIReceiptJSON]
        do {
            receipts = try preState.transactionReceipts(of: block).map { APIReceiptJSON($0, blockRoot: imported.root, slot: block.slot) }
            try chainDatabase.putReceipts(receipts)
        } catch {
            logProblem(.error, "storing a block's receipts failed", metadata: ["root": "\(imported.root.hex)", "error": "\(error)"])
            return
        }
        for receipt in receipts { events.publish(APIEventJSON.transactionIncluded(receipt)) }
    }

    /// Logs a finality change, persists the finalized state as the new anchor, then prunes the
    /// database below the finalized history kept (``NodeConfig/finalizedHistoryEpochs``).
    private func persistFinalized(_ finalized: Checkpoint, state: ChainState, justified: Checkpoint) {
        logger.info("finalized", metadata: ["epoch": "\(finalized.epoch)", "root": "\(finalized.root.hex.prefix(16))"])
        do {
            try chainDatabase.putState(blockRoot: finalized.root, state: state)
            try chainDatabase.setAnchor(ForkChoiceAnchor(blockRoot: finalized.root, finalized: finalized, justified: justified))
        } catch {
            logProblem(.error, "persisting the finalized anchor failed", metadata: ["error": "\(error)"])
            return  // The old anchor stays, and so does everything a restart from it needs.
        }
        let keptEpoch = finalized.epoch.rawValue.subtractingReportingOverflow(config.finalizedHistoryEpochs)
        guard !keptEpoch.overflow, keptEpoch.partialValue > 0 else { return }
        let keptSlot = Slot(keptEpoch.partialValue.multipliedReportingOverflow(by: state.preset.slotsPerEpoch).partialValue)
        do {
            let pruned = try chainDatabase.pruneBelow(slot: keptSlot)
            if pruned.blocks > 0 || pruned.states > 0 {
                logger.debug("pruned", metadata: ["below_slot": "\(keptSlot)", "blocks": "\(pruned.blocks)", "states": "\(pruned.states)"])
            }
        } catch {
            logProblem(.error, "pruning the chain database failed", metadata: ["error": "\(error)"])
        }
    }

    /// Logs or counts what the core noted.
    private func record(_ note: NodeNote) {
        switch note {
        case let .invalidBlock(root, reason, sender):
            logProblem(.warning, "invalid block", metadata: ["root": "\(root.hex)", "reason": "\(reason)", "from": "\(sender.map { "\($0)" } ?? "self")"])
        case let .blockJudged(valid, _):
            if !valid { metrics.recordBlockReceived(valid: false) }
        case let .attestationJudged(valid, _):
            metrics.recordAttestationReceived(valid: valid)
        case let .operationRejected(kind, reason, peer):
            logger.warning("refused gossip", metadata: ["kind": "\(kind)", "reason": "\(reason)", "peer": "\(peer)"])
        case let .signingRefused(kind, slot, validator):
            metrics.recordSigningRefusal()
            logProblem(.warning, "slashing protection refused \(kind == "block" ? "a block" : "an attestation")", metadata: ["slot": "\(slot)", "validator": "\(validator)"])
        case let .proposerSlashed(slot, validator):
            logProblem(.warning, "validator is slashed: its block slot stays empty", metadata: ["slot": "\(slot)", "validator": "\(validator)"])
        case let .noRandaoReveal(validator):
            logProblem(.error, "no RANDAO reveal left", metadata: ["validator": "\(validator)"])
        case let .producingFailed(slot, reason):
            logProblem(.error, "producing a block failed", metadata: ["slot": "\(slot)", "error": "\(reason)"])
        case let .clockBehindHead(slot, headSlot):
            logProblem(.warning, "the clock is behind the head; skipping duties", metadata: ["slot": "\(slot)", "head_slot": "\(headSlot)"])
        case let .advancingHeadFailed(slot, reason):
            logProblem(.error, "advancing the head failed", metadata: ["slot": "\(slot)", "error": "\(reason)"])
        case let .equivocated(kind, slot, validator):
            logger.warning("byzantine: double \(kind == "block" ? "proposal" : "vote")", metadata: ["slot": "\(slot)", "validator": "\(validator)"])
        case let .syncStarted(peer, fromSlot, toSlot):
            logger.info("syncing", metadata: ["peer": "\(peer)", "from_slot": "\(fromSlot)", "to_slot": "\(toSlot)"])
        case let .syncStopped(peer, reason):
            logger.info("range sync stopped", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
        }
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
            let preState = core.store.state(parent)
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

}
