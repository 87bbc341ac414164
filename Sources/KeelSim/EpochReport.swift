/// One line of `keel sim` output: what the first honest node sees at the end of an epoch.
public struct EpochReport: Hashable, Sendable {
    public var epoch: UInt64
    public var headSlot: UInt64
    public var justifiedEpoch: UInt64
    public var finalizedEpoch: UInt64
    /// The fraction of active stake whose vote for this epoch's target is in the head chain.
    public var participation: Double
    /// Validators marked slashed in the head state.
    public var slashed: Int

    public var text: String {
        let percent = (participation * 1000).rounded() / 10
        return "epoch \(epoch)  head_slot \(headSlot)  justified \(justifiedEpoch)  finalized \(finalizedEpoch)  "
            + "participation \(percent)%  slashed \(slashed)"
    }

    public var json: String {
        let rounded = (participation * 10_000).rounded() / 10_000
        return #"{"epoch":\#(epoch),"head_slot":\#(headSlot),"justified_epoch":\#(justifiedEpoch),"#
            + #""finalized_epoch":\#(finalizedEpoch),"participation":\#(rounded),"slashed":\#(slashed)}"#
    }
}
