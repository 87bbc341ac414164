/// What an attester votes for (phase0 `AttestationData`).
///
/// Departure from phase0: there is one committee per slot, so there is no committee `index`.
public struct AttestationData: Hashable, Sendable {
    public var slot: Slot
    /// The LMD-GHOST vote: the head block the attester saw.
    public var beaconBlockRoot: Root
    /// The FFG source: the attester's justified checkpoint.
    public var source: Checkpoint
    /// The FFG target: the checkpoint of the attestation's epoch.
    public var target: Checkpoint

    public init(slot: Slot, beaconBlockRoot: Root, source: Checkpoint, target: Checkpoint) {
        self.slot = slot
        self.beaconBlockRoot = beaconBlockRoot
        self.source = source
        self.target = target
    }
}
