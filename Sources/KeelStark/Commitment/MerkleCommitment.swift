import KeelCrypto

/// The prover's side of a Merkle commitment to a matrix (spec/STARK.md §3): every level of the
/// tree, so that any batch of leaves can be opened.
public struct MerkleCommitment: Sendable {
    /// `levels[0]` holds the leaf hashes, the last level the root alone.
    private let levels: [[Hash32]]

    /// Commits to `leafCount` rows; `row(j)` gives row `j`'s elements.
    ///
    /// - Precondition: `leafCount` is a power of two.
    public init(leafCount: Int, row: (Int) -> [Fp]) {
        self.init(leaves: (0..<leafCount).map { MerkleHashing.leaf(row($0)) })
    }

    /// Commits to a trace matrix given by its columns: leaf `j` is row `j` (spec §3). Hashes
    /// without building a row array per leaf, reading each column in order, on every core.
    public init(naturalOrderColumns columns: [[Fp]], logSize: Int) {
        precondition(!columns.isEmpty && columns.allSatisfy { $0.count == 1 << logSize }, "full columns")
        var leaves = [Hash32](repeating: .zero, count: 1 << logSize)
        leaves.withUnsafeMutableBufferPointer { buffer in
            let output = UnsafeMutableBufferPointerBox(buffer)
            Parallel.forRanges(1 << logSize) { range in
                var bytes = [UInt8](repeating: 0, count: 1 + 4 * columns.count)
                bytes.withUnsafeMutableBytes { row in
                    for leaf in range {
                        for column in columns.indices {
                            row.storeBytes(of: columns[column][leaf].value.littleEndian, toByteOffset: 1 + 4 * column, as: UInt32.self)
                        }
                        output.buffer[leaf] = SHA256.hash(bytes: UnsafeRawBufferPointer(row))
                    }
                }
            }
        }
        self.init(leaves: leaves)
    }

    /// Builds the tree over precomputed leaf hashes.
    init(leaves: [Hash32]) {
        let leafCount = leaves.count
        precondition(leafCount > 0 && leafCount & (leafCount - 1) == 0, "a Merkle tree has 2^k leaves")
        var levels = [leaves]
        while levels[levels.count - 1].count > 1 {
            let below = levels[levels.count - 1]
            levels.append((0..<(below.count / 2)).map { MerkleHashing.node(below[2 * $0], below[2 * $0 + 1]) })
        }
        self.levels = levels
    }

    public var root: Hash32 { levels[levels.count - 1][0] }
    public var depth: Int { levels.count - 1 }
    public var leafCount: Int { levels[0].count }

    /// The sibling hashes of a pruned batch opening of `indices` (sorted, distinct), in the order
    /// spec §3 fixes: level by level, ascending within a level.
    public func siblings(opening indices: [Int]) -> [Hash32] {
        precondition(indices == Array(Set(indices)).sorted(), "openings name sorted, distinct leaves")
        precondition(indices.allSatisfy { $0 >= 0 && $0 < leafCount }, "an opened leaf exists")
        var known = indices
        var result: [Hash32] = []
        for level in 0..<depth {
            var parents: [Int] = []
            var position = 0
            while position < known.count {
                let index = known[position]
                if position + 1 < known.count && known[position + 1] == index ^ 1 {
                    position += 2
                } else {
                    result.append(levels[level][index ^ 1])
                    position += 1
                }
                parents.append(index >> 1)
            }
            known = parents
        }
        return result
    }
}

/// The two hashes of spec §3, shared by the prover and the verifier.
public enum MerkleHashing {
    /// `SHA256(0x00 ‖ row)`, the row's elements as u32 little-endian.
    public static func leaf(_ row: [Fp]) -> Hash32 {
        var bytes = [UInt8](repeating: 0, count: 1 + 4 * row.count)
        for (index, element) in row.enumerated() {
            let value = element.value
            bytes[1 + 4 * index] = UInt8(truncatingIfNeeded: value)
            bytes[2 + 4 * index] = UInt8(truncatingIfNeeded: value >> 8)
            bytes[3 + 4 * index] = UInt8(truncatingIfNeeded: value >> 16)
            bytes[4 + 4 * index] = UInt8(truncatingIfNeeded: value >> 24)
        }
        return SHA256.hash(bytes)
    }

    /// `SHA256(0x01 ‖ left ‖ right)`.
    public static func node(_ left: Hash32, _ right: Hash32) -> Hash32 {
        var hasher = SHA256.Hasher()
        hasher.update([1])
        hasher.update(left)
        hasher.update(right)
        return hasher.finalize()
    }

    /// Checks a pruned batch opening: `leaves` are the (index, leaf hash) pairs in ascending
    /// index order with distinct indices; `siblings` must be consumed exactly.
    ///
    /// - Returns: Whether the opening authenticates against `root` in a tree of `depth` levels.
    public static func verify(root: Hash32, depth: Int, leaves: [(index: Int, hash: Hash32)], siblings: [Hash32]) -> Bool {
        guard !leaves.isEmpty, depth >= 0, depth < Int.bitWidth - 1 else { return false }
        for position in leaves.indices {
            guard leaves[position].index >= 0, leaves[position].index < 1 << depth else { return false }
            if position > 0 && leaves[position].index <= leaves[position - 1].index { return false }
        }
        var known = leaves
        var next = 0
        for _ in 0..<depth {
            var parents: [(index: Int, hash: Hash32)] = []
            var position = 0
            while position < known.count {
                let (index, hash) = known[position]
                let sibling: Hash32
                if position + 1 < known.count && known[position + 1].index == index ^ 1 {
                    sibling = known[position + 1].hash
                    position += 2
                } else {
                    guard next < siblings.count else { return false }
                    sibling = siblings[next]
                    next += 1
                    position += 1
                }
                let parent = index & 1 == 0 ? node(hash, sibling) : node(sibling, hash)
                parents.append((index >> 1, parent))
            }
            known = parents
        }
        return next == siblings.count && known.count == 1 && known[0].hash == root
    }
}
