/// Why a ``MerkleWitness`` was rejected: while decoding its bytes (with the byte offset) or while
/// rebuilding its tree (with the node's pre-order index).
public enum MerkleWitnessError: Error, Hashable, Sendable {
    /// A field of `needed` bytes starts at `offset`, but the input ends before it does.
    case truncated(offset: Int, needed: Int)
    /// The tree is complete at `offset` but `count` more bytes follow.
    case trailingBytes(offset: Int, count: Int)
    /// The node tag at `offset` is not one of `0x00`...`0x03`.
    case badNodeTag(offset: Int, tag: UInt8)
    /// The branch at `offset` sits at depth 256, where only leaves and empty subtrees can be.
    case branchTooDeep(offset: Int)
    /// The branch at pre-order index `nodeIndex` holds fewer than two entries, which a compact
    /// tree represents by its single leaf or as empty.
    case nonCompactBranch(nodeIndex: Int)
    /// The leaf at pre-order index `nodeIndex` sits at a position its key does not start with.
    case leafOffPath(nodeIndex: Int, key: Hash32)
    /// The rebuilt tree hashes to `actual`, not the trusted root `expected`.
    case rootMismatch(expected: Hash32, actual: Hash32)
}
