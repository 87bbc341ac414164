/// The single-key walks shared by ``SparseMerkleTree`` and ``PartialMerkleTree``: lookup,
/// update and proof.
///
/// Each walk is a loop from the root along the key's bits, at most 256 steps because a branch
/// sits at a depth of at most 255 (two different keys differ in one of their 256 bits). A walk
/// that reaches a pruned branch stops and reports `blocked`; full trees never contain one.
enum SparseMerkleOperations {
    /// The answer of a lookup.
    enum Lookup {
        case absent
        case present(Hash32)
        case blocked
    }

    /// The answer of an update.
    enum Outcome {
        /// The tree already held exactly this entry (or already lacked the deleted key).
        case unchanged
        /// The new root and the change in the number of entries (-1, 0 or +1).
        case updated(root: SparseMerkleNode?, countDelta: Int)
        /// The key's path enters a pruned branch.
        case blocked
    }

    /// Where a walk along a key ends: the branches passed (with the side taken) and the node
    /// found at the end, which is empty, a leaf or a pruned branch.
    struct Walk {
        var path: [(node: SparseMerkleBranch, goesRight: Bool)] = []
        var terminal: SparseMerkleNode?
    }

    /// Follows `key` from `root` down to the first node that is not a branch.
    static func walk(from root: SparseMerkleNode?, key: Hash32) -> Walk {
        var walk = Walk()
        walk.path.reserveCapacity(40)
        var current = root
        while let branch = current?.asBranch {
            precondition(walk.path.count < SparseMerklePath.bitCount, "branches sit above depth 256")
            let goesRight = SparseMerklePath.bit(key, walk.path.count)
            walk.path.append((branch, goesRight))
            current = goesRight ? branch.right : branch.left
        }
        walk.terminal = current
        precondition(walk.path.count <= SparseMerklePath.bitCount, "a walk is at most 256 steps")
        return walk
    }

    /// The value hash stored for `key`, if any.
    static func lookup(root: SparseMerkleNode?, key: Hash32) -> Lookup {
        let terminal = walk(from: root, key: key).terminal
        switch terminal?.body {
        case nil:
            return .absent
        case .leaf(let leafKey, let valueHash)?:
            return leafKey == key ? .present(valueHash) : .absent
        case .pruned?:
            return .blocked
        case .branch?:
            preconditionFailure("a walk never ends at an expanded branch")
        }
    }

    /// Sets (or, for `nil`, deletes) the entry for `key` and rebuilds the path to the root.
    ///
    /// Cost: one leaf hash, the branch hashes of the path (about log2 n for random keys), plus one
    /// hash per extra level when an insert splits a leaf whose key shares more bits with `key`.
    static func update(root: SparseMerkleNode?, key: Hash32, valueHash: Hash32?) -> Outcome {
        let walk = walk(from: root, key: key)
        let depth = walk.path.count
        var node: SparseMerkleNode?
        var countDelta = 0
        switch (walk.terminal?.body, valueHash) {
        case (nil, nil):
            return .unchanged
        case (nil, let newValue?):
            node = .leaf(key: key, valueHash: newValue)
            countDelta = 1
        case (.leaf(let leafKey, let oldValue)?, let newValue):
            guard let terminal = walk.terminal else { preconditionFailure("a leaf terminal exists") }
            if leafKey == key {
                guard newValue != oldValue else { return .unchanged }
                node = newValue.map { SparseMerkleNode.leaf(key: key, valueHash: $0) }
                countDelta = newValue == nil ? -1 : 0
            } else {
                guard let newValue else { return .unchanged }
                node = .split(terminal, .leaf(key: key, valueHash: newValue), depth: depth)
                countDelta = 1
            }
        case (.pruned?, _):
            return .blocked
        case (.branch?, _):
            preconditionFailure("a walk never ends at an expanded branch")
        }
        for step in walk.path.reversed() {
            node = step.goesRight ? .joined(step.node.left, node) : .joined(node, step.node.right)
        }
        precondition(countDelta != 0 || node != nil, "replacing a value leaves the tree non-empty")
        return .updated(root: node, countDelta: countDelta)
    }

    /// The proof of `key`'s entry or absence, or `nil` when the path enters a pruned branch.
    static func proof(root: SparseMerkleNode?, key: Hash32) -> MerkleProof? {
        let walk = walk(from: root, key: key)
        let siblings = walk.path.map { step in
            (step.goesRight ? step.node.left : step.node.right)?.hash ?? .zero
        }
        switch walk.terminal?.body {
        case nil:
            return MerkleProof(siblings: siblings, terminal: .empty)
        case .leaf(let leafKey, let valueHash)?:
            return MerkleProof(siblings: siblings, terminal: .leaf(key: leafKey, valueHash: valueHash))
        case .pruned?:
            return nil
        case .branch?:
            preconditionFailure("a walk never ends at an expanded branch")
        }
    }
}
