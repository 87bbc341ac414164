/// The state tree of the chain: a persistent compact sparse Merkle tree mapping 256-bit keys to
/// 32-byte value hashes, with inclusion and exclusion proofs (``MerkleProof``) and multiproofs
/// for stateless re-execution (``MerkleWitness``).
///
/// ## The root, exactly
///
/// A light client or another implementation computes the same root from these rules alone.
///
/// - Bits: bit `i` (0...255) of a key is bit `7 - i % 8` of byte `i / 8`, most significant bit
///   first. A node at depth `d` holds the entries whose keys start with the node's `d`-bit
///   position; bit `d` sends an entry to the left child (0) or the right child (1).
/// - The hash `H(S, d)` of a set `S` of entries `(key, valueHash)` at depth `d`:
///   - `S` empty: `Hash32.zero` (32 zero bytes).
///   - `S` a single entry `(k, v)`: `SHA256(0x00 ‖ k ‖ v)`, 65 bytes hashed, *whatever the depth*
///     (the subtree is represented by its leaf alone: this is the "compact" in the name).
///   - `S` with two or more entries: `SHA256(0x01 ‖ H(S₀, d + 1) ‖ H(S₁, d + 1))`, where `S₀`
///     holds the entries whose key has bit `d` = 0 and `S₁` the others. This holds even when one
///     side is empty: a run of bits shared by every key of `S` costs one branch per bit (as in
///     Diem's Jellyfish tree; there are no extension nodes). Two different keys differ in some
///     bit below 256, so a branch sits at depth 255 at most and a leaf at depth 256 at most.
/// - The root is `H(all entries, 0)`; the empty tree's root is `Hash32.zero`.
///
/// The root is therefore a function of the set of entries alone, not of the order of updates,
/// and deleting a key gives exactly the root of the tree built without it. The tags `0x00` and
/// `0x01` keep a leaf from ever being read as a branch or the other way round, and nothing
/// hashes to zero, so an empty subtree cannot be faked either. A stored value hash may be any
/// 32 bytes, zero included: absence is the lack of a leaf, not a special value.
///
/// ## Cost
///
/// Copying a tree is O(1): nodes are immutable and shared, so every fork state can keep its own
/// tree at the price of the nodes it changed. An update allocates and hashes one node per level
/// of the key's path, about `log2 n` for `n` random keys (plus one per bit shared with a
/// neighbouring key beyond the branching point, rarely more than one or two).
///
/// - Important: Lookups and proofs are loops; updates, batch updates, witnesses and the rebuild
///   of a witness recurse once per tree level, so never deeper than 257 frames, because the
///   256-bit key length bounds the depth.
public struct SparseMerkleTree: Sendable {
    /// The deepest a node can sit: a leaf whose key differs from another only in its last bit.
    public static let depthMax = 256

    /// The root node, `nil` for the empty tree. Never contains a pruned branch.
    var rootNode: SparseMerkleNode?

    /// The number of entries.
    public internal(set) var count: Int

    /// The empty tree, whose root is `Hash32.zero`.
    public init() {
        rootNode = nil
        count = 0
    }

    /// The Merkle root over all entries, `Hash32.zero` when empty; O(1) (hashes live in nodes).
    public var root: Hash32 {
        rootNode?.hash ?? .zero
    }

    /// The value hash stored for `key`.
    ///
    /// - Parameter key: The key to look up.
    /// - Returns: The value hash, or `nil` when the key is absent.
    public func value(for key: Hash32) -> Hash32? {
        switch SparseMerkleOperations.lookup(root: rootNode, key: key) {
        case .absent:
            return nil
        case .present(let valueHash):
            return valueHash
        case .blocked:
            preconditionFailure("a full tree has no pruned branches")
        }
    }

    /// Sets the value hash of `key`, or deletes the key.
    ///
    /// Deleting re-compacts: a leaf left alone in its subtree moves up, so the root equals the
    /// root of a tree that never held the key. Creates O(depth) new nodes; copies of the tree
    /// made before the call are unaffected.
    ///
    /// - Parameters:
    ///   - key: The key to set or delete.
    ///   - valueHash: The new value hash, or `nil` to delete the key (a no-op when it is absent).
    public mutating func update(_ key: Hash32, to valueHash: Hash32?) {
        switch SparseMerkleOperations.update(root: rootNode, key: key, valueHash: valueHash) {
        case .unchanged:
            return
        case .updated(let newRoot, let countDelta):
            precondition(count + countDelta >= 0, "the entry count never goes negative")
            rootNode = newRoot
            count += countDelta
            precondition((count == 0) == (rootNode == nil), "only the empty tree has no root node")
        case .blocked:
            preconditionFailure("a full tree has no pruned branches")
        }
    }

    /// A proof of `key`'s entry or, when the key is absent, of its absence.
    ///
    /// - Parameter key: The key to prove.
    /// - Returns: A proof that verifies against ``root`` with `valueHash` = ``value(for:)``.
    public func proof(for key: Hash32) -> MerkleProof {
        guard let proof = SparseMerkleOperations.proof(root: rootNode, key: key) else {
            preconditionFailure("a full tree has no pruned branches")
        }
        return proof
    }

    /// The hash of a leaf: `SHA256(0x00 ‖ key ‖ valueHash)`.
    ///
    /// - Parameters:
    ///   - key: The entry's key.
    ///   - valueHash: The entry's value hash.
    /// - Returns: The leaf's hash, the same at any depth.
    public static func leafHash(key: Hash32, valueHash: Hash32) -> Hash32 {
        taggedHash(tag: 0x00, key, valueHash)
    }

    /// The hash of a branch: `SHA256(0x01 ‖ left ‖ right)`, with `Hash32.zero` for an empty side.
    ///
    /// - Parameters:
    ///   - left: The hash of the subtree whose keys have a 0 at the branch's depth.
    ///   - right: The hash of the subtree whose keys have a 1 there.
    /// - Returns: The branch's hash.
    public static func branchHash(left: Hash32, right: Hash32) -> Hash32 {
        taggedHash(tag: 0x01, left, right)
    }

    /// `SHA256(tag ‖ a ‖ b)`, assembled on the stack: 65 bytes, no allocation.
    private static func taggedHash(tag: UInt8, _ a: Hash32, _ b: Hash32) -> Hash32 {
        // Nine words; the tag is the last byte of the first, so bytes 7..<72 are tag ‖ a ‖ b.
        let block = (UInt64(tag).bigEndian, a.word0, a.word1, a.word2, a.word3, b.word0, b.word1, b.word2, b.word3)
        return Swift.withUnsafeBytes(of: block) { buffer in
            precondition(buffer.count == 72, "nine packed words")
            precondition(buffer[7] == tag, "the tag byte precedes the children")
            return SHA256.hash(bytes: UnsafeRawBufferPointer(rebasing: buffer[7..<72]))
        }
    }
}
