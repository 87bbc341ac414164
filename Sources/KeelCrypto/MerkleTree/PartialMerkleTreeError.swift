/// Why a ``PartialMerkleTree`` cannot answer.
public enum PartialMerkleTreeError: Error, Hashable, Sendable {
    /// The key's path runs into a branch the witness gives by hash only, so the witness does not
    /// cover it.
    case keyNotCovered(Hash32)
}
