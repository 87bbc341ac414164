import KeelChain

/// Post-states of blocks already imported by one node core, for the other cores of the same
/// simulation: every honest node runs the same transition of the same block, so the simulator
/// runs it once (issue 11, item 9); likewise the head state advanced to a slot for duties.
/// Also shares the states' storage between the cores.
///
/// Determinism: a block's root commits to its parent's root, and a parent's post-state is a
/// function of the chain up to it, so a block's post-state is the same whichever core computed
/// it; a run gives the same result with or without sharing (`SimulatorNodeCoreTests` checks
/// it). Only successful transitions are kept, so each core still judges an invalid block
/// itself. Bounded: the oldest entries go first past ``countMax``.
///
/// - Important: Not for `keel node`: a node must check every block itself. One simulation,
///   one thread.
public final class SharedTransitions: @unchecked Sendable {
    /// The most post-states held.
    public let countMax: Int
    private var states: [Root: ChainState] = [:]
    private var order: [Root] = []
    private var oldest = 0
    /// Head states advanced to a slot for duties, by head root and slot: the last few only.
    private var advanced: [(head: Root, slot: Slot, state: ChainState)] = []
    private static let advancedCountMax = 8

    /// Creates an empty cache holding at most `countMax` post-states.
    public init(countMax: Int = 512) {
        precondition(countMax >= 1, "room for one state at least")
        self.countMax = countMax
    }

    /// The post-state of the block with this root, if a core imported it.
    func postState(of root: Root) -> ChainState? { states[root] }

    /// The state of block `head` advanced to `slot`, if a core computed it.
    func advancedState(head: Root, slot: Slot) -> ChainState? {
        advanced.last { $0.head == head && $0.slot == slot }?.state
    }

    /// Records the state of block `head` advanced to `slot`.
    func recordAdvanced(_ state: ChainState, head: Root, slot: Slot) {
        precondition(state.slot == slot, "an advanced state is at its slot")
        advanced.append((head, slot, state))
        if advanced.count > Self.advancedCountMax { advanced.removeFirst(advanced.count - Self.advancedCountMax) }
    }

    /// Records the post-state of an imported block.
    func record(_ state: ChainState, of root: Root) {
        guard states[root] == nil else { return }
        states[root] = state
        order.append(root)
        if order.count - oldest > countMax {
            states[order[oldest]] = nil
            oldest += 1
            if oldest > countMax {
                order.removeFirst(oldest)
                oldest = 0
            }
        }
        precondition(states.count <= countMax, "the cache stays bounded")
    }
}
