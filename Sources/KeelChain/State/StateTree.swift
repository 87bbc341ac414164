import KeelCrypto

/// The Merkle tree behind a state's root: the whole tree in a node, or, in a state opened from a
/// block witness, the part of it the witness reveals.
///
/// A partial tree cannot update a key its witness does not reach. `hashTreeRoot()` cannot throw
/// (it runs deep inside the transition), so such a key is recorded in `uncoveredKeys` and the
/// stateless verifier rejects the witness after the transition.
enum StateTree: Sendable {
    case full(SparseMerkleTree)
    case partial(PartialMerkleTree, uncoveredKeys: Set<Hash32>)

    var root: Hash32 {
        switch self {
        case .full(let tree): tree.root
        case .partial(let tree, _): tree.root
        }
    }

    mutating func apply(_ updates: [(key: Hash32, valueHash: Hash32?)]) {
        switch self {
        case .full(var tree):
            tree.update(updates)
            self = .full(tree)
        case .partial(var tree, var uncoveredKeys):
            for update in updates {
                do { try tree.update(update.key, to: update.valueHash) } catch { uncoveredKeys.insert(update.key) }
            }
            self = .partial(tree, uncoveredKeys: uncoveredKeys)
        }
    }

    /// The proof of `key` against `root`.
    ///
    /// - Precondition: a partial tree covers `key`; callers ask only for keys of entries they hold.
    func proof(for key: Hash32) -> MerkleProof {
        switch self {
        case .full(let tree):
            return tree.proof(for: key)
        case .partial(let tree, _):
            guard let proof = try? tree.proof(for: key) else { preconditionFailure("the witness does not cover \(key)") }
            return proof
        }
    }
}
