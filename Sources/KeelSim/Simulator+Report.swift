import KeelChain
import KeelConsensus

extension Simulator {
    /// What the first node sees of `epoch`, one slot into the next epoch.
    mutating func makeReport(epoch: UInt64) -> EpochReport {
        let store = cores[0].store
        let head = store.getHead()
        let state = store.state(head)!
        let boundary = Slot(epoch * slotsPerEpoch)
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
