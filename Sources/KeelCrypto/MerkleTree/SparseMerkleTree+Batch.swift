extension SparseMerkleTree {
    /// Applies many updates at once, with the result of applying them one by one in order.
    ///
    /// The updates are sorted by key (a later update of the same key wins) and applied in one
    /// pass from the root, so a node touched by several keys is rebuilt and hashed once rather
    /// than once per key: a block's worth of updates shares the top of the tree.
    ///
    /// - Parameter batch: The updates; `valueHash` `nil` deletes the key.
    public mutating func update(_ batch: [(key: Hash32, valueHash: Hash32?)]) {
        guard !batch.isEmpty else {
            return
        }
        let updates = Self.lastUpdatePerKey(batch)
        precondition(updates.count <= batch.count, "deduplication only removes updates")
        var countDelta = 0
        rootNode = Self.applying(updates[...], to: rootNode, depth: 0, countDelta: &countDelta)
        precondition(count + countDelta >= 0, "the entry count never goes negative")
        count += countDelta
        precondition((count == 0) == (rootNode == nil), "only the empty tree has no root node")
    }

    /// One update per key, the last one given for it, sorted by key. Sorting by (key, position)
    /// makes the result independent of anything but the input.
    static func lastUpdatePerKey(
        _ batch: [(key: Hash32, valueHash: Hash32?)]
    ) -> [(key: Hash32, valueHash: Hash32?)] {
        let order = batch.indices.sorted { lhs, rhs in
            batch[lhs].key != batch[rhs].key ? batch[lhs].key < batch[rhs].key : lhs < rhs
        }
        var result: [(key: Hash32, valueHash: Hash32?)] = []
        result.reserveCapacity(batch.count)
        for (position, index) in order.enumerated() {
            let isLastForKey = position + 1 == order.count || batch[order[position + 1]].key != batch[index].key
            if isLastForKey {
                result.append(batch[index])
            }
        }
        return result
    }

    /// The subtree at `depth` after applying `updates`, which are sorted, one per key, and all
    /// within the subtree's position. Recurses once per level (at most 257 frames).
    static func applying(
        _ updates: ArraySlice<(key: Hash32, valueHash: Hash32?)>,
        to node: SparseMerkleNode?, depth: Int, countDelta: inout Int
    ) -> SparseMerkleNode? {
        precondition(depth <= depthMax, "no node sits below depth 256")
        guard !updates.isEmpty else {
            return node
        }
        switch node?.body {
        case nil:
            let entries = updates.compactMap { update in update.valueHash.map { (key: update.key, valueHash: $0) } }
            countDelta += entries.count
            return built(entries[...], depth: depth)
        case .leaf(let leafKey, let leafValue)?:
            var entries = updates.compactMap { update in update.valueHash.map { (key: update.key, valueHash: $0) } }
            if !updates.contains(where: { $0.key == leafKey }) {
                let position = entries.firstIndex { leafKey < $0.key } ?? entries.endIndex
                entries.insert((key: leafKey, valueHash: leafValue), at: position)
            }
            countDelta += entries.count - 1
            return built(entries[...], depth: depth)
        case .branch(let left, let right)?:
            precondition(depth < depthMax, "branches sit above depth 256")
            let middle = updates.firstIndex { SparseMerklePath.bit($0.key, depth) } ?? updates.endIndex
            let newLeft = applying(updates[..<middle], to: left, depth: depth + 1, countDelta: &countDelta)
            let newRight = applying(updates[middle...], to: right, depth: depth + 1, countDelta: &countDelta)
            if newLeft === left, newRight === right {
                return node
            }
            return .joined(newLeft, newRight)
        case .pruned?:
            preconditionFailure("a full tree has no pruned branches")
        }
    }

    /// The compact subtree at `depth` holding exactly `entries` (sorted, distinct keys).
    static func built(
        _ entries: ArraySlice<(key: Hash32, valueHash: Hash32)>, depth: Int
    ) -> SparseMerkleNode? {
        precondition(depth <= depthMax, "no node sits below depth 256")
        guard let first = entries.first else {
            return nil
        }
        guard entries.count > 1 else {
            return .leaf(key: first.key, valueHash: first.valueHash)
        }
        precondition(depth < depthMax, "two different keys differ above bit 256")
        let middle = entries.firstIndex { SparseMerklePath.bit($0.key, depth) } ?? entries.endIndex
        let left = built(entries[..<middle], depth: depth + 1)
        let right = built(entries[middle...], depth: depth + 1)
        return .joined(left, right)
    }
}
