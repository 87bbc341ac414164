extension SparseMerkleTree {
    /// A multiproof covering `keys`, present or absent, for stateless re-execution.
    ///
    /// - Parameter keys: The keys a block reads or writes, in any order, repeats allowed.
    /// - Returns: The tree pruned to the keys' paths (see ``MerkleWitness`` for what it holds);
    ///   each node appears once however many paths share it.
    public func witness(for keys: [Hash32]) -> MerkleWitness {
        let sortedKeys = keys.sorted()
        var nodes: [MerkleWitness.Node] = []
        Self.appendWitness(of: rootNode, depth: 0, keys: sortedKeys[...], to: &nodes)
        precondition(!nodes.isEmpty, "a witness has at least its root node")
        return MerkleWitness(nodes: nodes)
    }

    /// Appends, in pre-order, the witness of the subtree `node` at `depth` for `keys` (sorted,
    /// all within the subtree's position). Recurses once per level (at most 257 frames).
    private static func appendWitness(
        of node: SparseMerkleNode?, depth: Int, keys: ArraySlice<Hash32>,
        to nodes: inout [MerkleWitness.Node]
    ) {
        precondition(depth <= depthMax, "no node sits below depth 256")
        switch node?.body {
        case nil:
            nodes.append(.empty)
        case .leaf(let key, let valueHash)?:
            nodes.append(.leaf(key: key, valueHash: valueHash))
        case .branch(let left, let right)? where keys.isEmpty:
            nodes.append(.pruned(leftHash: left?.hash ?? .zero, rightHash: right?.hash ?? .zero))
        case .branch(let left, let right)?:
            precondition(depth < depthMax, "branches sit above depth 256")
            nodes.append(.branch)
            let middle = keys.firstIndex { SparseMerklePath.bit($0, depth) } ?? keys.endIndex
            appendWitness(of: left, depth: depth + 1, keys: keys[..<middle], to: &nodes)
            appendWitness(of: right, depth: depth + 1, keys: keys[middle...], to: &nodes)
        case .pruned?:
            preconditionFailure("a full tree has no pruned branches")
        }
    }
}
