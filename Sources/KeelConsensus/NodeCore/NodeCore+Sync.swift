import KeelChain

extension NodeCore {
    mutating func connect(_ peer: PeerID, status: ChainStatus) {
        peers[peer] = status
        if status.headSlot > head.slot {
            startRangeSync(from: peer, targetRoot: status.headRoot, targetSlot: status.headSlot)
        }
    }

    mutating func disconnect(_ peer: PeerID) {
        peers[peer] = nil
        if rangeSync?.peer == peer { stopRangeSync(reason: "peer gone") }
    }

    /// Starts syncing `peer`'s chain by range from the slot after the finalized block up to
    /// `targetSlot`, unless a sync already runs; then asks for `targetRoot` itself.
    mutating func startRangeSync(from peer: PeerID, targetRoot: Root, targetSlot: Slot) {
        guard rangeSync == nil else { return }
        let finalizedSlot = store.slot(of: store.finalizedCheckpoint.root) ?? Slot(0)
        let start = Slot(finalizedSlot.rawValue + 1)
        guard start <= targetSlot else {
            request([targetRoot], from: peer, at: store.currentSlot)
            return
        }
        rangeSync = RangeSync(peer: peer, nextSlot: start, targetSlot: targetSlot, targetRoot: targetRoot, askedAt: store.currentSlot)
        note(.syncStarted(peer: peer, fromSlot: start, toSlot: targetSlot))
        requestNextRange()
    }

    private mutating func requestNextRange() {
        guard var sync = rangeSync else { return }
        precondition(sync.nextSlot <= sync.targetSlot, "a batch starts at or before the target")
        let count = min(config.rangeBatchSlotCount, sync.targetSlot.rawValue - sync.nextSlot.rawValue + 1)
        sync.askedAt = store.currentSlot
        rangeSync = sync
        emit(.requestBlocksByRange(startSlot: sync.nextSlot, count: count, from: sync.peer))
    }

    private mutating func stopRangeSync(reason: String) {
        guard let sync = rangeSync else { return }
        rangeSync = nil
        note(.syncStopped(peer: sync.peer, reason: reason))
    }

    /// A batch arrived (or its request failed): import what is in range, then ask for the next
    /// batch, or for the target itself once the range is done.
    mutating func receiveBlocksByRange(_ blocks: [SignedBlock], startSlot: Slot, count: UInt64, from peer: PeerID, failed: Bool) {
        let end = startSlot.rawValue.addingReportingOverflow(count)
        let endSlot = end.overflow ? UInt64.max : end.partialValue
        for block in blocks.sorted(by: { $0.message.slot < $1.message.slot })
        where block.message.slot >= startSlot && block.message.slot.rawValue < endSlot {
            importBlock(block, from: peer, relay: false)
        }
        guard var sync = rangeSync, sync.peer == peer, sync.nextSlot == startSlot else { return }
        guard !failed else {
            stopRangeSync(reason: "request failed")
            return
        }
        sync.nextSlot = Slot(endSlot)
        guard sync.nextSlot <= sync.targetSlot else {
            stopRangeSync(reason: "done")
            request([sync.targetRoot], from: peer, at: store.currentSlot)
            return
        }
        rangeSync = sync
        requestNextRange()
    }

    /// Ends a range sync that has had no answer for an epoch (the shell's request timed out
    /// without telling, or the answer was lost).
    mutating func expireRangeSync(at slot: Slot) {
        guard let sync = rangeSync, slot.rawValue > sync.askedAt.rawValue + store.preset.slotsPerEpoch else { return }
        stopRangeSync(reason: "no answer for an epoch")
    }
}
