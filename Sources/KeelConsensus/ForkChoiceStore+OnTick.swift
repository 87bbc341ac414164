import KeelChain

extension ForkChoiceStore {
    /// phase0 `on_tick`: moves time forward and, at the start of an epoch, adopts the best
    /// justified checkpoint if it descends from the finalized block.
    ///
    /// Departure from phase0: time is a slot, not seconds. phase0 expects a tick in every slot
    /// and acts only when the new slot is an epoch's first; a tick here may skip slots, so it acts
    /// whenever it crosses an epoch boundary, which is what ticking every skipped slot would do
    /// (nothing else changes the store between ticks). A tick to an earlier or the same slot is
    /// ignored: time never goes back.
    ///
    /// - Parameter slot: The current slot.
    public mutating func onTick(_ slot: Slot) {
        let previousSlot = currentSlot
        guard slot > previousSlot else { return }
        currentSlot = slot
        // Not a new epoch: return.
        guard computeEpochAtSlot(slot) > computeEpochAtSlot(previousSlot) else { return }
        // Update the store's justified checkpoint if a better one was seen.
        guard bestJustifiedCheckpoint.epoch > justifiedCheckpoint.epoch else { return }
        // phase0: `get_ancestor(store, best_justified.root, finalized_slot) == finalized.root`,
        // which `isDescendantOfFinalized` decides (and also for an anchor after its epoch's
        // start slot, where `get_ancestor` would walk off the tree).
        if isDescendantOfFinalized(bestJustifiedCheckpoint.root) {
            setJustifiedCheckpoint(bestJustifiedCheckpoint)
        }
        precondition(currentSlot == slot)
    }
}
