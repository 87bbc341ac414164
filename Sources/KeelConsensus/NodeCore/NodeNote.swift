import KeelChain

/// What a node core reports for logs and metrics; the shell picks the level and the counter.
public enum NodeNote: Sendable {
    /// A block from `from` (nil: the node's own) failed its checks.
    case invalidBlock(root: Root, reason: BlockProcessingError, from: PeerID?)
    /// A gossiped attestation was judged; `valid` false for a bad signature or committee.
    case attestationJudged(valid: Bool, from: PeerID)
    /// A gossiped transaction or slashing was refused; `kind` names which.
    case operationRejected(kind: String, reason: String, from: PeerID)
    /// A gossiped block was imported (`valid`) or refused as invalid.
    case blockJudged(valid: Bool, from: PeerID)
    /// Slashing protection refused to sign (`kind`: block or attestation).
    case signingRefused(kind: String, slot: Slot, validator: ValidatorIndex)
    /// The slot's proposer runs here but is slashed: its slot stays empty.
    case proposerSlashed(slot: Slot, validator: ValidatorIndex)
    /// The proposer's RANDAO chain has no reveal for its commitment.
    case noRandaoReveal(validator: ValidatorIndex)
    /// Producing the slot's block failed.
    case producingFailed(slot: Slot, reason: BlockProcessingError)
    /// The clock is behind the head: the slot's duties are skipped.
    case clockBehindHead(slot: Slot, headSlot: Slot)
    /// Advancing the head state to a slot failed.
    case advancingHeadFailed(slot: Slot, reason: SlotProcessingError)
    /// Byzantine mode made a second block or vote (`kind`) for `slot`.
    case equivocated(kind: String, slot: Slot, validator: ValidatorIndex)
    /// A range sync from `peer` began at `fromSlot`, aiming at `toSlot`.
    case syncStarted(peer: PeerID, fromSlot: Slot, toSlot: Slot)
    /// The range sync from `peer` ended (`reason`: done, failed, peer gone).
    case syncStopped(peer: PeerID, reason: String)
}
