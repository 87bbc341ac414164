import KeelChain

/// Why duties cannot be computed for an epoch from a given state.
public enum DutiesError: Error, Hashable, Sendable {
    /// The epoch is outside what the state determines (for proposers: its current epoch or the
    /// next; for attesters: its previous, current or next epoch).
    case epochOutOfRange(requested: Epoch, current: Epoch)
    /// Advancing a copy of the state to the epoch failed.
    case slots(SlotProcessingError)
    /// The proposer lookup failed (no active validators).
    case state(StateAccessError)
}

/// Who proposes and who attests when: what a validator client asks at each epoch.
public enum Duties {
    /// The proposer of each slot of `epoch` (phase0 `get_beacon_proposer_index` at each slot).
    ///
    /// The proposer of a slot depends only on the epoch's proposer seed, the slot, and the active
    /// validators and their effective stakes at the epoch's start. So this advances a copy of the
    /// state to the epoch's first slot when it is behind (epoch processing sets the effective
    /// stakes), then sets only the copy's `slot` for each slot of the epoch: no slot processing
    /// is needed within the epoch.
    ///
    /// For the next epoch the answer assumes no more blocks in the current one; a block can
    /// still change effective stakes, so a validator client asks again at the epoch's start.
    ///
    /// - Parameters:
    ///   - state: A state of the chain in question.
    ///   - epoch: The state's current epoch or the next.
    /// - Returns: The proposer of every slot of `epoch`.
    /// - Throws: `DutiesError`.
    public static func proposerDuties(state: ChainState, epoch: Epoch) throws(DutiesError) -> [Slot: ValidatorIndex] {
        let current = state.getCurrentEpoch()
        guard epoch >= current, epoch.rawValue <= current.rawValue + 1 else {
            throw .epochOutOfRange(requested: epoch, current: current)
        }
        var view = state
        let startSlot = state.computeStartSlotAtEpoch(epoch)
        if view.slot < startSlot {
            do { try view.processSlots(startSlot) } catch { throw .slots(error) }
        }
        precondition(view.getCurrentEpoch() == epoch, "the copy is in the requested epoch")
        var duties: [Slot: ValidatorIndex] = [:]
        for offset in 0..<state.preset.slotsPerEpoch {
            let slot = Slot(startSlot.rawValue + offset)
            view.slot = slot
            do { duties[slot] = try view.getBeaconProposerIndex() } catch { throw .state(error) }
        }
        precondition(duties.count == Int(state.preset.slotsPerEpoch), "one proposer per slot")
        return duties
    }

    /// Each active validator's attestation slot in `epoch` (phase0 `get_committee_assignment`,
    /// with one committee per slot), from the epoch's shuffling.
    ///
    /// - Parameters:
    ///   - state: A state of the chain in question.
    ///   - epoch: The state's previous, current or next epoch: the seed and the active set of
    ///     those are fixed in the state.
    /// - Returns: The slot at which each active validator attests; exactly one per validator.
    /// - Throws: `DutiesError.epochOutOfRange`.
    public static func attesterDuties(state: ChainState, epoch: Epoch) throws(DutiesError) -> [ValidatorIndex: Slot] {
        let current = state.getCurrentEpoch()
        guard epoch.rawValue + 1 >= current.rawValue, epoch.rawValue <= current.rawValue + 1 else {
            throw .epochOutOfRange(requested: epoch, current: current)
        }
        let shuffling = state.getEpochShuffling(epoch)
        let duties = shuffling.attestationSlots()
        precondition(duties.count == shuffling.shuffled.count, "every active validator attests once")
        return duties
    }
}
