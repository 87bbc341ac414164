/// An epoch boundary block: what FFG votes justify and finalize (phase0 `Checkpoint`).
public struct Checkpoint: Hashable, Sendable {
    public var epoch: Epoch
    public var root: Root

    public init(epoch: Epoch, root: Root) {
        self.epoch = epoch
        self.root = root
    }
}
