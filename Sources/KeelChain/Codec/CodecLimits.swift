/// The largest list each decoder accepts (phase0 "Max operations per block", plus the execution
/// limits).
///
/// Decoders check a list's count against its limit *before* allocating for it, so a count of
/// `0xFFFFFFFF` from a peer fails at once instead of reserving gigabytes. The limits equal those
/// of `Preset.devnet` (a test checks that they are never below them): the codec is shared by
/// every network, so it bounds by the largest preset and the state transition applies the
/// network's own (possibly smaller) limits.
public enum CodecLimits {
    /// Proposer slashings per block (phase0 `MAX_PROPOSER_SLASHINGS`).
    public static let maxProposerSlashings: UInt64 = 16
    /// Attester slashings per block (phase0 `MAX_ATTESTER_SLASHINGS`).
    public static let maxAttesterSlashings: UInt64 = 16
    /// Attestations per block (phase0 `MAX_ATTESTATIONS`; single-validator attestations, so far
    /// more than phase0's 128 aggregates).
    public static let maxAttestations: UInt64 = 4_096
    /// Transactions per block.
    public static let maxTransactions: UInt64 = 1_024
    /// Bytes of a deployed `.kvm` program: the 24-byte header and at most 65,536 instructions of
    /// 16 bytes (spec/VM.md section 6).
    public static let maxProgramBytes: UInt64 = 24 + 16 * 65_536
    /// Input cells of one call.
    public static let maxCallInputCells: UInt64 = 4_096
    /// Storage cells of one program.
    public static let maxProgramStorageCells: UInt64 = 65_536
}
