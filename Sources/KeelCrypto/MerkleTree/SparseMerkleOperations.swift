/// The single-key operations shared by ``SparseMerkleTree`` and ``PartialMerkleTree``: lookup,
/// update and proof.
///
/// Lookups and proofs are loops from the root along the key's bits. An update recurses once per
/// level instead, so that the rebuilt path is returned on the way back up without keeping an
/// array of the nodes passed; either way a walk takes at most 256 steps, because a branch sits at
/// a depth of at most 255 (two different keys differ in one of their 256 bits). A walk that
/// reaches a pruned branch stops and reports `blocked`; full trees never contain one.
enum SparseMerkleOperations {
    /// The answer of a lookup.
    enum Lookup {
        case absent
        case present(Hash32)
        case blocked
    }

    /// The answer of an update of a subtree.
    enum Outcome {
        /// The subtree already held exactly this entry (or already lacked the deleted key).
        case unchanged
        /// The subtree's replacement and the change in the number of entries (-1, 0 or +1).
        case updated(root: SparseMerkleNode?, countDelta: Int)
        /// The key's path enters a pruned branch.
        case blocked
    }

    /// The node `key`'s path ends at (empty, a leaf or a pruned branch) and its depth; the
    /// siblings passed are handed to `visitSibling` from the root down.
    @inline(__always)
    static func walk(
        from root: SparseMerkleNode?, key: Hash32, visitSibling: (SparseMerkleNode?) -> Void = { _ in }
    ) -> (terminal: SparseMerkleNode?, depth: Int) {
        var current = root
        var depth = 0
        while let branch = current?.asBranch {
            precondition(depth < SparseMerklePath.bitCount, "branches sit above depth 256")
            if SparseMerklePath.bit(key, depth) {
                visitSibling(branch.left)
                current = branch.right
            } else {
                visitSibling(branch.right)
                current = branch.left
            }
            depth += 1
        }
        precondition(depth <= SparseMerklePath.bitCount, "a walk is at most 256 steps")
        return (current, depth)
    }

    /// The value hash stored for `key`, if any.
    static func lookup(root: SparseMerkleNode?, key: Hash32) -> Lookup {
        switch walk(from: root, key: key).terminal?.body {
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

    /// Sets (or, for `nil`, deletes) the entry for `key` in the subtree `node` at `depth` and
    /// returns the rebuilt subtree; `node` is the root when `depth` is 0.
    ///
    /// Cost: one leaf hash, the branch hashes of the path (about log2 n for random keys), plus one
    /// hash per extra level when an insert splits a leaf whose key shares more bits with `key`.
    /// Recurses once per branch passed: at most 256 frames.
    static func update(root node: SparseMerkleNode?, key: Hash32, valueHash: Hash32?, depth: Int = 0) -> Outcome {
        precondition(depth <= SparseMerklePath.bitCount, "no node sits below depth 256")
        guard let node else {
            guard let valueHash else { return .unchanged }
            return .updated(root: .leaf(key: key, valueHash: valueHash), countDelta: 1)
        }
        switch node.kind {
        case .branch:
            let branch = unsafeDowncast(node, to: SparseMerkleBranch.self)
            let goesRight = SparseMerklePath.bit(key, depth)
            let outcome = update(root: goesRight ? branch.right : branch.left, key: key, valueHash: valueHash, depth: depth + 1)
            guard case .updated(let child, let countDelta) = outcome else {
                return outcome
            }
            let joined: SparseMerkleNode? = goesRight ? .joined(branch.left, child) : .joined(child, branch.right)
            precondition(joined != nil, "a branch holds two entries, so one remains after a deletion")
            return .updated(root: joined, countDelta: countDelta)
        case .leaf:
            let leaf = unsafeDowncast(node, to: SparseMerkleLeaf.self)
            if leaf.key == key {
                guard valueHash != leaf.valueHash else { return .unchanged }
                guard let valueHash else { return .updated(root: nil, countDelta: -1) }
                return .updated(root: .leaf(key: key, valueHash: valueHash), countDelta: 0)
            }
            guard let valueHash else { return .unchanged }
            return .updated(root: .split(leaf, .leaf(key: key, valueHash: valueHash), depth: depth), countDelta: 1)
        case .pruned:
            return .blocked
        }
    }

    /// The proof of `key`'s entry or absence, or `nil` when the path enters a pruned branch.
    static func proof(root: SparseMerkleNode?, key: Hash32) -> MerkleProof? {
        var siblings: [Hash32] = []
        siblings.reserveCapacity(32)
        let (terminal, depth) = walk(from: root, key: key) { sibling in
            siblings.append(sibling?.hash ?? .zero)
        }
        precondition(siblings.count == depth, "one sibling per branch passed")
        switch terminal?.body {
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
