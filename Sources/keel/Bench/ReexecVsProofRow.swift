/// One block size of `keel bench reexec-vs-proof`: what it cost to check a block whose VM calls
/// execute about `steps` steps, by each method.
///
/// Every time is the median over the report's `runs`, in nanoseconds. The sizes are the encoded
/// sizes in bytes. `UInt64` and `Int` appear raw here because these are measurements for a
/// report, not consensus data.
struct ReexecVsProofRow: Hashable, Sendable {
    /// The VM step count the benchmark asked for (1e3, 1e4, ... 1e8); the row's key.
    var steps: UInt64
    /// The VM steps the block actually executed (the requested count plus call overhead).
    var vmSteps: UInt64
    /// Re-executing the block against the full local state.
    var fullReexecNs: UInt64
    /// Re-executing the block from its witness alone, holding no state.
    var statelessReexecNs: UInt64
    /// Verifying the block's proof.
    var proofVerifyNs: UInt64
    /// Producing the block's proof.
    var proveNs: UInt64
    /// The encoded witness.
    var witnessBytes: Int
    /// The encoded proof.
    var proofBytes: Int
    /// The encoded block.
    var blockBytes: Int
    /// The process's peak resident memory after proving this size (a high-water mark: sizes run
    /// in ascending order, so it is this size's peak unless a smaller one needed more).
    var proverPeakBytes: Int = 0
}
