import KeelChain
import KeelCrypto

extension ForkChoiceStore {
    /// phase0 `get_head`: LMD-GHOST from the justified checkpoint over the filtered block tree,
    /// with children weighed by the justified checkpoint state's effective stakes of the
    /// validators whose latest message descends from them, ties broken by the higher root
    /// (lexicographic by bytes, DESIGN.md).
    ///
    /// One pass instead of phase0's scan per block: each latest message adds its validator's
    /// stake to the block it names, then a backward walk over the nodes (children come after
    /// parents) carries every weight to the parent, decides phase0 `filter_block_tree`'s
    /// viability bottom-up and keeps each node's best viable child. The walk down from the
    /// justified block then follows best children. O(validators + blocks), no state touched.
    ///
    /// - Returns: The head block's root; the justified block itself when it has no viable
    ///   descendant.
    public func getHead() -> Root {
        // The node asks for the head many times between changes (duties, status, the API).
        if let memo = headMemo.root { return memo }
        let head = computeHead()
        headMemo.root = head
        return head
    }

    private func computeHead() -> Root {
        let count = nodes.count
        var weights = votedWeights()
        var hasChild = [Bool](repeating: false, count: count)
        var bestChild = [Int](repeating: -1, count: count)
        for index in stride(from: count - 1, through: 0, by: -1) {
            let node = nodes[index]
            // `filter_block_tree`: a node with children is viable when one of its children is; a
            // leaf when `isViableLeaf` says so.
            let viable = hasChild[index] ? bestChild[index] >= 0 : isViableLeaf(node)
            guard let parent = node.parentIndex else { continue }
            precondition(parent < index, "parents come before their children")
            weights[parent] += weights[index]
            hasChild[parent] = true
            guard viable else { continue }
            let best = bestChild[parent]
            if best < 0 || (weights[index], node.root) > (weights[best], nodes[best].root) { bestChild[parent] = index }
        }
        guard var head = nodeIndices[justifiedCheckpoint.root] else {
            preconditionFailure("the justified block is in the tree")
        }
        // Bounded by the tree's size: each step moves to a later node.
        for _ in 0..<count {
            let next = bestChild[head]
            guard next >= 0 else { return nodes[head].root }
            precondition(next > head, "children come after their parents")
            head = next
        }
        preconditionFailure("head walk longer than the tree")
    }

    /// Each node's own weight: the justified stakes of the validators whose latest message names
    /// it (not its descendants'), equivocators left out, as phase0 `get_weight` counts them.
    private func votedWeights() -> [UInt64] {
        var weights = [UInt64](repeating: 0, count: nodes.count)
        // Votes name few distinct blocks (about one per recent slot): the last few roots looked
        // up are compared before the dictionary is hashed.
        var recent = RecentLookups()
        for (validator, message) in latestMessages.enumerated() {
            guard let message, validator < justifiedBalances.count else { continue }
            // phase0 `get_weight`: equivocating validators' messages are not counted.
            if !equivocatingIndices.isEmpty, equivocatingIndices.contains(ValidatorIndex(UInt64(validator))) { continue }
            let balance = justifiedBalances[validator]
            guard balance > 0 else { continue }
            // A vote for a pruned block weighs nothing: no block in the tree descends from it.
            guard let index = recent.index(of: message.root, in: nodeIndices) else { continue }
            weights[index] += balance
        }
        return weights
    }

    /// The tree as the Beacon API's debug fork-choice endpoint shows it: every block with its
    /// parent, its post-state's justified and finalized epochs, and its weight (`get_weight`:
    /// the stake voting for it or a descendant), parents first.
    public func forkChoiceNodes() -> [ForkChoiceNode] {
        var weights = votedWeights()
        for index in stride(from: nodes.count - 1, through: 0, by: -1) {
            if let parent = nodes[index].parentIndex { weights[parent] += weights[index] }
        }
        return nodes.enumerated().map { index, node in
            ForkChoiceNode(
                root: node.root, parentRoot: node.parentIndex.map { nodes[$0].root }, slot: node.slot,
                justifiedEpoch: node.justifiedCheckpoint.epoch,
                finalizedEpoch: blockStates[node.root]?.finalizedCheckpoint.epoch ?? finalizedCheckpoint.epoch,
                weight: Stake(weights[index]))
        }
    }

    /// The leaf test of `filter_block_tree`: the leaf's post-state has the store's justified
    /// checkpoint (or that is still at the genesis epoch), and the leaf descends from the store's
    /// finalized checkpoint.
    ///
    /// The finalized half follows the current consensus-specs text of phase0 fork choice
    /// (`correct_finalized` by ancestry, `get_checkpoint_block`), not the original v1.0 check
    /// that the leaf's state names the store's finalized checkpoint; the justified half stays
    /// v1.0's exact match (the current text's `voting_source` and two-epoch allowance need
    /// unrealized justification, which Keel does not compute). Under the original, a node
    /// that saw one side of a partition finalize keeps every block of the other side (which
    /// descends from that finalized block but never saw it finalized) out of the tree for good:
    /// its head stays on the justified block and it proposes on it every slot (a 10,000-seed
    /// soak failure). Every node of this tree descends from the finalized block (finality prunes
    /// the rest, and `onBlock` refuses blocks off it), so the ancestry check is left out. It is
    /// weaker than `get_checkpoint_block` for a fork that branched off the finalized block before
    /// the finalized epoch's start, but such a leaf cannot hold the store's justified checkpoint
    /// (justified at or after the finalized epoch, on the finalized chain), so the justified test
    /// already filters it.
    func isViableLeaf(_ node: BlockNode) -> Bool {
        justifiedCheckpoint.epoch == Constants.genesisEpoch || node.justifiedCheckpoint == justifiedCheckpoint
    }

    /// phase0 `get_latest_attesting_balance`: the stake of the justified state's active
    /// validators whose latest message is `root` or one of its descendants. For tests and
    /// diagnostics; `getHead` computes every block's weight in one pass instead.
    ///
    /// - Returns: nil when `root` is not in the tree.
    public func getLatestAttestingBalance(_ root: Root) -> Stake? {
        guard let index = nodeIndices[root] else { return nil }
        let slot = nodes[index].slot
        var total: UInt64 = 0
        for (validator, message) in latestMessages.enumerated() {
            guard let message, validator < justifiedBalances.count, justifiedBalances[validator] > 0 else { continue }
            if equivocatingIndices.contains(ValidatorIndex(UInt64(validator))) { continue }
            if getAncestor(message.root, slot: slot) == root { total += justifiedBalances[validator] }
        }
        return Stake(total)
    }
}

/// The last few (root, tree position) lookups of one `getHead` pass, newest first.
private struct RecentLookups {
    private var roots: [Root] = []
    private var indices: [Int?] = []
    private static let countMax = 16

    mutating func index(of root: Root, in nodeIndices: [Root: Int]) -> Int? {
        if let hit = roots.firstIndex(of: root) { return indices[hit] }
        let found = nodeIndices[root]
        if roots.count == Self.countMax {
            roots.removeLast()
            indices.removeLast()
        }
        roots.insert(root, at: 0)
        indices.insert(found, at: 0)
        return found
    }
}

/// One block of the fork-choice tree, for diagnostics (`GET /fork_choice`).
public struct ForkChoiceNode: Hashable, Sendable {
    public var root: Root
    /// Nil for the tree's root (the anchor, later the finalized block).
    public var parentRoot: Root?
    public var slot: Slot
    public var justifiedEpoch: Epoch
    public var finalizedEpoch: Epoch
    /// The stake whose latest vote is this block or a descendant.
    public var weight: Stake
}
