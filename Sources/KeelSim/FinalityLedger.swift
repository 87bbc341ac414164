import KeelChain

/// Every block made in a run and every checkpoint any node finalized: the simulator's safety
/// check. Two finalized checkpoints conflict when one epoch got two roots, or when the later one
/// does not descend from the earlier one.
struct FinalityLedger {
    /// Each block's parent and slot.
    private(set) var blocks: [Root: (parent: Root, slot: Slot)] = [:]
    /// The root each finalized epoch got.
    private(set) var finalized: [UInt64: Root] = [:]

    mutating func recordBlock(_ root: Root, parent: Root, slot: Slot) {
        blocks[root] = (parent, slot)
    }

    /// Records that `root` was finalized at `epoch`; returns a description of the conflict if it
    /// contradicts an earlier finalization.
    mutating func recordFinalized(epoch: UInt64, root: Root) -> String? {
        if let known = finalized[epoch] {
            return known == root ? nil : "epoch \(epoch) finalized as \(known.hex) and as \(root.hex)"
        }
        finalized[epoch] = root
        for otherEpoch in finalized.keys.sorted() where otherEpoch != epoch {
            let other = finalized[otherEpoch]!
            let (earlier, later) = otherEpoch < epoch ? (other, root) : (root, other)
            if !isAncestor(earlier, of: later) {
                return "finalized \(earlier.hex) is not an ancestor of finalized \(later.hex)"
            }
        }
        return nil
    }

    /// Whether `ancestor` is `descendant` or lies on its chain of parents.
    func isAncestor(_ ancestor: Root, of descendant: Root) -> Bool {
        guard let target = blocks[ancestor] else { return false }
        var current = descendant
        while current != ancestor {
            guard let entry = blocks[current], entry.slot > target.slot else { return false }
            current = entry.parent
        }
        return true
    }
}
