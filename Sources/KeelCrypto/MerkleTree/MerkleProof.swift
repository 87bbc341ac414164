/// A proof that a ``SparseMerkleTree`` with a given root maps a key to a value hash
/// (inclusion), or holds no entry for it (exclusion).
///
/// A proof is the key's path from the root: ``siblings`` lists the hash of the other child of
/// every branch the path passes, *from the root downwards* (`siblings[i]` is the sibling at depth
/// `i + 1`, on the side that bit `i` of the key does not take; `Hash32.zero` for an empty side),
/// and ``terminal`` is what the path ends at, at depth `siblings.count`:
///
/// - an empty subtree: the key is absent;
/// - a leaf for the key itself: the key is present with that value hash;
/// - a leaf for another key sharing the key's first `siblings.count` bits: the key is absent,
///   because in a compact tree that leaf is the only entry under the position.
///
/// To verify, hash the terminal (`Hash32.zero`, or the leaf hash of
/// ``SparseMerkleTree/leafHash(key:valueHash:)``), then for `i` from `siblings.count - 1` down to
/// 0 combine it with `siblings[i]` by ``SparseMerkleTree/branchHash(left:right:)``, the running
/// hash on the side of bit `i` of the key; the result must equal the root. The proof of a key is
/// unique: ``verify(key:valueHash:root:)`` also rejects the non-compact shapes an honest tree never
/// has (a last sibling of zero, a terminal leaf off the key's path).
public struct MerkleProof: Hashable, Sendable {
    /// What the key's path ends at.
    public enum Terminal: Hashable, Sendable {
        /// An empty subtree.
        case empty
        /// A leaf: the key's own entry, or the one entry under the path's end position.
        case leaf(key: Hash32, valueHash: Hash32)
    }

    /// The most siblings a proof can have: a leaf sits at depth 256 at most.
    public static let siblingCountMax = SparseMerkleTree.depthMax

    /// Sibling hashes along the path, from the root's children downwards.
    public let siblings: [Hash32]

    /// The end of the path, at depth `siblings.count`.
    public let terminal: Terminal

    /// Assembles a proof from its parts; a tree makes proofs with ``SparseMerkleTree/proof(for:)``
    /// and bytes from a peer go through ``init(decoding:)``.
    ///
    /// - Precondition: `siblings.count <= 256`.
    /// - Parameters:
    ///   - siblings: Sibling hashes from depth 1 downwards.
    ///   - terminal: What the path ends at.
    public init(siblings: [Hash32], terminal: Terminal) {
        precondition(siblings.count <= Self.siblingCountMax, "a path has at most 256 siblings")
        self.siblings = siblings
        self.terminal = terminal
    }

    /// Checks the proof against a root.
    ///
    /// - Parameters:
    ///   - key: The key the proof is about.
    ///   - valueHash: The value hash claimed for `key`, or `nil` to check that `key` is absent.
    ///   - root: The trusted root.
    /// - Returns: `true` exactly when the tree with root `root` holds `valueHash` for `key` (or
    ///   no entry, for `nil`), and this proof is the canonical proof of that.
    public func verify(key: Hash32, valueHash: Hash32?, root: Hash32) -> Bool {
        guard siblings.count <= Self.siblingCountMax else {
            return false
        }
        let depth = siblings.count
        var hash: Hash32
        switch terminal {
        case .empty:
            guard valueHash == nil else { return false }
            hash = .zero
        case .leaf(let leafKey, let leafValue):
            guard SparseMerklePath.commonPrefixLength(leafKey, key) >= depth else { return false }
            if let valueHash {
                guard leafKey == key, leafValue == valueHash else { return false }
            } else {
                guard leafKey != key else { return false }
            }
            hash = SparseMerkleTree.leafHash(key: leafKey, valueHash: leafValue)
        }
        // Under the deepest branch the terminal's sibling holds an entry (two for an empty
        // terminal), or the branch would not exist in a compact tree.
        if let last = siblings.last, last == .zero {
            return false
        }
        for index in stride(from: depth - 1, through: 0, by: -1) {
            let sibling = siblings[index]
            hash = SparseMerklePath.bit(key, index)
                ? SparseMerkleTree.branchHash(left: sibling, right: hash)
                : SparseMerkleTree.branchHash(left: hash, right: sibling)
        }
        return hash == root
    }
}
