/// The part of the state tree a ``MerkleWitness`` reveals, checked against a root: enough to
/// read, insert, change and delete every covered key and compute the resulting root exactly as
/// the full ``SparseMerkleTree`` would.
///
/// Like the full tree it is persistent (copies are O(1) and independent) and follows the same
/// rules; the only difference is that some branches are known by hash alone, and a key whose
/// path runs into one is not covered.
///
/// Made by ``MerkleWitness/partialTree(root:)``.
public struct PartialMerkleTree: Sendable {
    /// The root node; may contain pruned branches.
    var rootNode: SparseMerkleNode?

    init(rootNode: SparseMerkleNode?) {
        self.rootNode = rootNode
    }

    /// The Merkle root, computed by the rules of ``SparseMerkleTree``; O(1).
    public var root: Hash32 {
        rootNode?.hash ?? .zero
    }

    /// The value hash stored for a covered key.
    ///
    /// - Parameter key: The key to look up.
    /// - Returns: The value hash, or `nil` when the key is absent.
    /// - Throws: ``PartialMerkleTreeError/keyNotCovered(_:)`` when the witness does not reach
    ///   the key.
    public func value(for key: Hash32) throws(PartialMerkleTreeError) -> Hash32? {
        switch SparseMerkleOperations.lookup(root: rootNode, key: key) {
        case .absent:
            return nil
        case .present(let valueHash):
            return valueHash
        case .blocked:
            throw .keyNotCovered(key)
        }
    }

    /// Sets the value hash of a covered key, or deletes it, as ``SparseMerkleTree/update(_:to:)``.
    ///
    /// - Parameters:
    ///   - key: The key to set or delete.
    ///   - valueHash: The new value hash, or `nil` to delete the key.
    /// - Throws: ``PartialMerkleTreeError/keyNotCovered(_:)``, leaving the tree unchanged, when
    ///   the witness does not reach the key.
    public mutating func update(_ key: Hash32, to valueHash: Hash32?) throws(PartialMerkleTreeError) {
        switch SparseMerkleOperations.update(root: rootNode, key: key, valueHash: valueHash) {
        case .unchanged:
            return
        case .updated(let newRoot, _):
            rootNode = newRoot
        case .blocked:
            throw .keyNotCovered(key)
        }
    }

    /// Applies updates in order, all or none.
    ///
    /// - Parameter batch: The updates; `valueHash` `nil` deletes the key.
    /// - Throws: ``PartialMerkleTreeError/keyNotCovered(_:)`` for the first key the witness does
    ///   not reach, leaving the tree unchanged.
    public mutating func update(_ batch: [(key: Hash32, valueHash: Hash32?)]) throws(PartialMerkleTreeError) {
        var updated = self
        for update in batch {
            try updated.update(update.key, to: update.valueHash)
        }
        self = updated
    }

    /// A proof of a covered key's entry or absence against ``root``.
    ///
    /// - Parameter key: The key to prove.
    /// - Returns: The same proof the full tree would give.
    /// - Throws: ``PartialMerkleTreeError/keyNotCovered(_:)`` when the witness does not reach
    ///   the key.
    public func proof(for key: Hash32) throws(PartialMerkleTreeError) -> MerkleProof {
        guard let proof = SparseMerkleOperations.proof(root: rootNode, key: key) else {
            throw .keyNotCovered(key)
        }
        return proof
    }
}
