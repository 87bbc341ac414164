/// One immutable node of a ``SparseMerkleTree`` or a ``PartialMerkleTree``.
///
/// Nodes are never mutated after creation, so any number of trees (fork states, copies, the
/// partial trees of witnesses) can share them; an update allocates new nodes only along the
/// updated path. The node's hash is computed once, in the initializer, which is what makes
/// ``SparseMerkleTree/root`` O(1).
///
/// An absent child (`nil`) is an empty subtree, whose hash is ``Hash32/zero``.
///
/// - Important: `@unchecked Sendable` only because the class is not final: leaves and branches
///   are subclasses, so a branch takes 80 bytes rather than the size of a leaf, and a walk reads
///   the one child it follows without copying (and retaining) both. Every stored property of
///   every subclass is an immutable `let` of a `Sendable` type, so sharing nodes between threads
///   is safe.
class SparseMerkleNode: @unchecked Sendable {
    /// Which subclass a node is, read without a dynamic cast on the hot path. The initializers
    /// are private to this file and each sets its own kind, so `unsafeDowncast` by kind is sound.
    enum Kind: UInt8 {
        case leaf
        case branch
        /// A branch known only by its hash (partial trees only): no covered key's path enters it.
        case pruned
    }

    /// What a node is, as an enum for code off the hot path.
    enum Body {
        /// A subtree holding exactly one entry, wherever it sits in the tree.
        case leaf(key: Hash32, valueHash: Hash32)
        /// A subtree holding at least two entries, split on the bit at the node's depth.
        case branch(left: SparseMerkleNode?, right: SparseMerkleNode?)
        /// A branch known only by its hash.
        case pruned
    }

    /// The Merkle hash of the subtree rooted here.
    let hash: Hash32
    let kind: Kind

    fileprivate init(hash: Hash32, kind: Kind) {
        self.hash = hash
        self.kind = kind
    }

    /// The node as an enum.
    var body: Body {
        switch kind {
        case .leaf:
            let leaf = unsafeDowncast(self, to: SparseMerkleLeaf.self)
            return .leaf(key: leaf.key, valueHash: leaf.valueHash)
        case .branch:
            let branch = unsafeDowncast(self, to: SparseMerkleBranch.self)
            return .branch(left: branch.left, right: branch.right)
        case .pruned:
            return .pruned
        }
    }

    /// This node as a branch, or `nil` when it is a leaf or pruned.
    @inline(__always)
    var asBranch: SparseMerkleBranch? {
        kind == .branch ? unsafeDowncast(self, to: SparseMerkleBranch.self) : nil
    }

    /// A leaf for `key` with hash `SHA256(0x00 ‖ key ‖ valueHash)`.
    static func leaf(key: Hash32, valueHash: Hash32) -> SparseMerkleNode {
        SparseMerkleLeaf(key: key, valueHash: valueHash)
    }

    /// A branch over two children, at least one of them present.
    ///
    /// Callers that may produce a single-entry subtree go through ``joined(_:_:)`` instead,
    /// which keeps the tree compact.
    static func branch(_ left: SparseMerkleNode?, _ right: SparseMerkleNode?) -> SparseMerkleNode {
        precondition(left != nil || right != nil, "a branch has at least one child")
        precondition(!(left?.isLeaf ?? true) || right != nil, "a lone leaf is never wrapped in a branch")
        precondition(!(right?.isLeaf ?? true) || left != nil, "a lone leaf is never wrapped in a branch")
        return SparseMerkleBranch(left: left, right: right)
    }

    /// A branch known only by its children's hashes, as a witness gives it.
    static func pruned(leftHash: Hash32, rightHash: Hash32) -> SparseMerkleNode {
        let hash = SparseMerkleTree.branchHash(left: leftHash, right: rightHash)
        return SparseMerkleNode(hash: hash, kind: .pruned)
    }

    /// Whether this node is a leaf.
    var isLeaf: Bool {
        kind == .leaf
    }

    /// The subtree holding exactly the entries of `left` and `right`, in compact form: empty when
    /// both are empty, the lone leaf itself when the two together hold one entry, else a branch.
    ///
    /// This is the whole of re-compaction: a leaf left alone by a deletion moves up one level per
    /// call until it meets a non-empty sibling. Its hash does not depend on its depth, so moving
    /// it costs no hashing.
    static func joined(_ left: SparseMerkleNode?, _ right: SparseMerkleNode?) -> SparseMerkleNode? {
        switch (left, right) {
        case (nil, nil):
            return nil
        case (nil, let only?) where only.isLeaf, (let only?, nil) where only.isLeaf:
            return only
        default:
            return branch(left, right)
        }
    }

    /// The subtree at `depth` holding two leaves with different keys: a branch where their keys
    /// first differ, under a chain of one-child branches for the bits they share below `depth`.
    ///
    /// - Precondition: both keys have the node's position (their first `depth` bits) in common.
    static func split(_ first: SparseMerkleNode, _ second: SparseMerkleNode, depth: Int) -> SparseMerkleNode {
        guard first.isLeaf, second.isLeaf else {
            preconditionFailure("only leaves are split")
        }
        let firstKey = unsafeDowncast(first, to: SparseMerkleLeaf.self).key
        let secondKey = unsafeDowncast(second, to: SparseMerkleLeaf.self).key
        let shared = SparseMerklePath.commonPrefixLength(firstKey, secondKey)
        precondition(shared < SparseMerklePath.bitCount, "split leaves have different keys")
        precondition(shared >= depth, "split leaves share the position being split")
        let secondGoesRight = SparseMerklePath.bit(secondKey, shared)
        var node = secondGoesRight ? branch(first, second) : branch(second, first)
        var level = shared
        while level > depth {
            level -= 1
            node = SparseMerklePath.bit(firstKey, level) ? branch(nil, node) : branch(node, nil)
        }
        precondition(level == depth, "the chain ends at the split position")
        return node
    }
}

/// A subtree holding exactly one entry.
final class SparseMerkleLeaf: SparseMerkleNode, @unchecked Sendable {
    let key: Hash32
    let valueHash: Hash32

    fileprivate init(key: Hash32, valueHash: Hash32) {
        self.key = key
        self.valueHash = valueHash
        super.init(hash: SparseMerkleTree.leafHash(key: key, valueHash: valueHash), kind: .leaf)
    }
}

/// A subtree holding at least two entries; `nil` children are empty subtrees.
final class SparseMerkleBranch: SparseMerkleNode, @unchecked Sendable {
    let left: SparseMerkleNode?
    let right: SparseMerkleNode?

    fileprivate init(left: SparseMerkleNode?, right: SparseMerkleNode?) {
        self.left = left
        self.right = right
        super.init(hash: SparseMerkleTree.branchHash(left: left?.hash ?? .zero, right: right?.hash ?? .zero), kind: .branch)
    }
}
