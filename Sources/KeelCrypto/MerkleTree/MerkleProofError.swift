/// Why bytes are not the canonical encoding of a ``MerkleProof``.
///
/// Every case gives the byte offset where decoding stopped, so a rejected proof from a peer can
/// be logged with enough context to find the fault.
public enum MerkleProofError: Error, Hashable, Sendable {
    /// A field of `needed` bytes starts at `offset`, but the input ends before it does.
    case truncated(offset: Int, needed: Int)
    /// A complete proof ends at `offset` but `count` more bytes follow.
    case trailingBytes(offset: Int, count: Int)
    /// The terminal tag at `offset` is neither `0x00` (empty) nor `0x01` (leaf).
    case badTerminalTag(offset: Int, tag: UInt8)
    /// The sibling count exceeds ``MerkleProof/siblingCountMax`` (256).
    case siblingCountAboveMax(offset: Int, count: Int)
    /// The presence bitmap sets a bit beyond the last sibling, in the byte at `offset`.
    case paddingBitSet(offset: Int)
    /// A sibling marked present in the bitmap is all zero; zero siblings must be left out.
    case zeroSiblingEncoded(offset: Int, index: Int)
}
