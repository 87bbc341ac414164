import KeelChain

/// Blocks whose parent is not known yet, by parent, with who sent each: bounded, and able to
/// name the deepest missing ancestor of a chain of orphans, which is the one block worth asking
/// for (asking for each orphan's parent in turn walks a long fork back one round trip at a
/// time, and under message loss never reaches its base).
struct OrphanBlocks {
    struct Entry {
        let block: SignedBlock
        let root: Root
        let sender: PeerID?
    }

    let countMax: Int
    private var byParent: [Root: [Entry]] = [:]
    /// Each orphan's parent, by the orphan's root.
    private var parentOf: [Root: Root] = [:]

    init(countMax: Int) {
        precondition(countMax >= 1, "room for one orphan at least")
        self.countMax = countMax
    }

    var count: Int { parentOf.count }

    func contains(_ root: Root) -> Bool { parentOf[root] != nil }

    /// Holds `block` until its parent arrives; false when full or already held.
    @discardableResult
    mutating func add(_ block: SignedBlock, root: Root, sender: PeerID?) -> Bool {
        guard parentOf[root] == nil, parentOf.count < countMax else { return false }
        let parent = block.message.parentRoot
        byParent[parent, default: []].append(Entry(block: block, root: root, sender: sender))
        parentOf[root] = parent
        precondition(parentOf.count <= countMax, "orphans stay bounded")
        return true
    }

    /// The orphans waiting for `parent`, removed.
    mutating func takeChildren(of parent: Root) -> [Entry] {
        let children = byParent.removeValue(forKey: parent) ?? []
        for child in children { parentOf[child.root] = nil }
        return children
    }

    /// The first root below `root` along the orphans' parent links that is not itself an
    /// orphan: the block whose arrival unlocks the whole chain.
    func missingAncestor(of root: Root) -> Root {
        var current = root
        for _ in 0...countMax {
            guard let parent = parentOf[current] else { return current }
            current = parent
        }
        preconditionFailure("orphan parent links form no cycle (roots are hashes of parents)")
    }

    /// The parents waited on that are not orphans themselves, in a deterministic order, each
    /// with the sender of the lowest-slot orphan waiting on it (nil if that was this node).
    func missingRoots() -> [(root: Root, slot: Slot, sender: PeerID?)] {
        var missing: [(root: Root, slot: Slot, sender: PeerID?)] = []
        for (parent, children) in byParent where parentOf[parent] == nil {
            let first = children.min { ($0.block.message.slot, $0.root) < ($1.block.message.slot, $1.root) }!
            missing.append((parent, first.block.message.slot, first.sender))
        }
        return missing.sorted { ($0.slot, $0.root) < ($1.slot, $1.root) }
    }

    /// Forgets orphans at or below `slot` (finality has passed them: they can never import).
    mutating func prune(atOrBelow slot: Slot) {
        for (parent, children) in byParent {
            let kept = children.filter { $0.block.message.slot > slot }
            guard kept.count != children.count else { continue }
            for child in children where child.block.message.slot <= slot { parentOf[child.root] = nil }
            byParent[parent] = kept.isEmpty ? nil : kept
        }
        precondition(parentOf.count == byParent.values.reduce(0) { $0 + $1.count }, "the two indexes agree")
    }
}
