/// A multiproof: the part of a ``SparseMerkleTree`` that a set of keys' paths pass through, from
/// which a node without the state rebuilds a ``PartialMerkleTree`` able to read, insert, change
/// and delete those keys and compute the new root (stateless re-execution of a block).
///
/// ## Contents
///
/// The witness is the tree pruned to the keys' paths, with every node on a path or beside one
/// present exactly once (shared path prefixes and siblings are not repeated):
///
/// - each branch on a key's path, *expanded*: its two children follow;
/// - each node a path ends at: an empty subtree, or a leaf given in full (key and value hash);
/// - each sibling of a path node: empty, a leaf *in full*, or a branch *pruned* to the hashes of
///   its two children.
///
/// Leaf siblings are given in full, not by hash, because updates move and split them: when a
/// deletion leaves a sibling leaf alone in its subtree that leaf moves up, and a later insert
/// whose path reaches its new position must split it by its key. Pruned branches are given by
/// their children's hashes, not their own hash, so that the verifier computes their hash with the
/// branch tag `0x01` and thereby knows they are branches (which hold at least two entries and so
/// never move); a leaf passed off as an opaque hash would otherwise go uncollapsed on a deletion
/// and let a dishonest witness steer the post-state root.
///
/// A key is *covered* when its path through the witness ends at an empty subtree or a leaf rather
/// than at a pruned branch: every key given to ``SparseMerkleTree/witness(for:)`` is, present or
/// absent, and so is any other key whose path happens to lie inside the witness. Pruned branches
/// never change under updates of covered keys, so coverage lasts through any sequence of them.
///
/// ## Encoding
///
/// The nodes in pre-order (a branch, then its left subtree, then its right subtree), each a tag
/// byte and its payload:
///
/// | tag | node | payload |
/// |---|---|---|
/// | `0x00` | empty subtree | none |
/// | `0x01` | leaf | key, value hash (64 bytes) |
/// | `0x02` | pruned branch | left child's hash, right child's hash (64 bytes) |
/// | `0x03` | expanded branch | none; its two children follow |
///
/// A branch of either kind may not sit at depth 256 or below. The encoding of a witness is
/// unique, and decoding rejects truncation, trailing bytes and unknown tags.
public struct MerkleWitness: Hashable, Sendable {
    /// One node of the pruned tree.
    enum Node: Hashable, Sendable {
        case empty
        case leaf(key: Hash32, valueHash: Hash32)
        case pruned(leftHash: Hash32, rightHash: Hash32)
        case branch
    }

    /// The nodes in pre-order; a complete tree whose branches sit above depth 256, which both
    /// ``SparseMerkleTree/witness(for:)`` and ``init(decoding:)`` guarantee.
    let nodes: [Node]

    init(nodes: [Node]) {
        precondition(!nodes.isEmpty, "a witness has at least its root node")
        self.nodes = nodes
    }

    /// The number of nodes (a measure of the witness's size, like `encoded.count`).
    public var nodeCount: Int {
        nodes.count
    }

    /// Rebuilds the pruned tree and checks it against the pre-state root.
    ///
    /// - Parameter root: The trusted root of the tree the witness was taken from.
    /// - Returns: A partial tree whose ``PartialMerkleTree/root`` is `root`.
    /// - Throws: ``MerkleWitnessError/rootMismatch(expected:actual:)`` when the witness does not
    ///   hash to `root`, or a structural error (a branch with fewer than two entries, a leaf off
    ///   its path) naming the node's pre-order index.
    public func partialTree(root: Hash32) throws(MerkleWitnessError) -> PartialMerkleTree {
        var index = 0
        let node = try build(at: &index, depth: 0, position: .zero)
        precondition(index == nodes.count, "a witness is exactly one complete tree")
        let actual = node?.hash ?? .zero
        guard actual == root else {
            throw .rootMismatch(expected: root, actual: actual)
        }
        return PartialMerkleTree(rootNode: node)
    }

    /// The subtree whose pre-order encoding starts at `index`, at `depth`, for the position
    /// spelled by the first `depth` bits of `position`. Recurses once per level (at most 257).
    private func build(
        at index: inout Int, depth: Int, position: Hash32
    ) throws(MerkleWitnessError) -> SparseMerkleNode? {
        precondition(index < nodes.count, "a witness is a complete tree")
        precondition(depth <= SparseMerkleTree.depthMax, "no node sits below depth 256")
        let nodeIndex = index
        index += 1
        switch nodes[nodeIndex] {
        case .empty:
            return nil
        case .leaf(let key, let valueHash):
            guard SparseMerklePath.commonPrefixLength(key, position) >= depth else {
                throw .leafOffPath(nodeIndex: nodeIndex, key: key)
            }
            return .leaf(key: key, valueHash: valueHash)
        case .pruned(let leftHash, let rightHash):
            precondition(depth < SparseMerkleTree.depthMax, "branches sit above depth 256")
            guard leftHash != .zero || rightHash != .zero else {
                throw .nonCompactBranch(nodeIndex: nodeIndex)
            }
            return .pruned(leftHash: leftHash, rightHash: rightHash)
        case .branch:
            precondition(depth < SparseMerkleTree.depthMax, "branches sit above depth 256")
            let left = try build(at: &index, depth: depth + 1, position: position)
            let rightPosition = SparseMerklePath.setting(position, bit: depth, to: true)
            let right = try build(at: &index, depth: depth + 1, position: rightPosition)
            guard Self.holdsTwoEntries(left, right) else {
                throw .nonCompactBranch(nodeIndex: nodeIndex)
            }
            return .branch(left, right)
        }
    }

    /// Whether a branch over `left` and `right` holds at least two entries, as every branch of a
    /// compact tree does (a pruned branch always does).
    private static func holdsTwoEntries(_ left: SparseMerkleNode?, _ right: SparseMerkleNode?) -> Bool {
        switch (left, right) {
        case (nil, nil):
            return false
        case (nil, let only?), (let only?, nil):
            return !only.isLeaf
        default:
            return true
        }
    }
}
