/// The part of the chain state that FFG justification and finalization read and write
/// (Lighthouse's `JustificationAndFinalizationState`).
///
/// It lives in this file rather than its own because it exists only as the argument and result
/// of `weighJustificationAndFinalization`.
///
/// - Important: `justificationBits` always holds `Constants.justificationBitsLength` (4) bits,
///   `justificationBits[0]` being the current epoch.
public struct JustificationAndFinalizationState: Hashable, Sendable {
    /// `get_current_epoch(state)`.
    public var currentEpoch: Epoch
    /// `state.justification_bits`: bit `k` says whether epoch `currentEpoch - k` is justified.
    public var justificationBits: [Bool]
    /// `state.previous_justified_checkpoint`.
    public var previousJustifiedCheckpoint: Checkpoint
    /// `state.current_justified_checkpoint`.
    public var currentJustifiedCheckpoint: Checkpoint
    /// `state.finalized_checkpoint`.
    public var finalizedCheckpoint: Checkpoint
    /// `get_block_root(state, get_previous_epoch(state))`: the root a justified previous epoch's
    /// checkpoint carries.
    public var previousEpochBoundaryRoot: Root
    /// `get_block_root(state, get_current_epoch(state))`: the root a justified current epoch's
    /// checkpoint carries.
    public var currentEpochBoundaryRoot: Root

    /// Creates the state; `justificationBits` must hold exactly four bits.
    public init(
        currentEpoch: Epoch, justificationBits: [Bool], previousJustifiedCheckpoint: Checkpoint,
        currentJustifiedCheckpoint: Checkpoint, finalizedCheckpoint: Checkpoint,
        previousEpochBoundaryRoot: Root, currentEpochBoundaryRoot: Root
    ) {
        precondition(justificationBits.count == Constants.justificationBitsLength, "justification bits are a Bitvector[4]")
        self.currentEpoch = currentEpoch
        self.justificationBits = justificationBits
        self.previousJustifiedCheckpoint = previousJustifiedCheckpoint
        self.currentJustifiedCheckpoint = currentJustifiedCheckpoint
        self.finalizedCheckpoint = finalizedCheckpoint
        self.previousEpochBoundaryRoot = previousEpochBoundaryRoot
        self.currentEpochBoundaryRoot = currentEpochBoundaryRoot
    }

    /// `get_previous_epoch(state)`: the epoch before the current one, or genesis at genesis.
    public var previousEpoch: Epoch {
        currentEpoch == Constants.genesisEpoch ? Constants.genesisEpoch : Epoch(currentEpoch.rawValue - 1)
    }
}

/// Justifies the previous and current epochs that gathered two thirds of the active stake as
/// target votes, then finalizes by the four FFG rules (phase0
/// `weigh_justification_and_finalization`, "Epoch processing / Justification and finalization").
///
/// Justification: the bits shift by one (bit 0 becomes the current epoch), the previous
/// justified checkpoint becomes the old current one, and an epoch whose target stake satisfies
/// `target * 3 >= total * 2` is justified, the current epoch taking precedence over the previous.
///
/// Finalization, checked in the spec's order so that a later rule wins:
/// 1. bits 1, 2, 3 set and the old previous justified epoch is `current - 3`: finalize it;
/// 2. bits 1, 2 set and the old previous justified epoch is `current - 2`: finalize it;
/// 3. bits 0, 1, 2 set and the old current justified epoch is `current - 2`: finalize it;
/// 4. bits 0, 1 set and the old current justified epoch is `current - 1`: finalize it.
///
/// No departure from phase0. Like Lighthouse it takes and returns only the fields involved; the
/// two `get_block_root` values come in with the state.
///
/// - Parameters:
///   - state: The justification state at the end of `state.currentEpoch`.
///   - totalActiveBalance: The total effective stake of the active validators.
///   - previousEpochTargetBalance: The effective stake that voted for the previous epoch's target.
///   - currentEpochTargetBalance: The effective stake that voted for the current epoch's target.
/// - Returns: The state with updated bits and checkpoints; `currentEpoch` and the roots unchanged.
/// - Throws: `ArithmeticError.overflow` when `balance * 3`, `total * 2` or a justified
///   `epoch + k` overflows a uint64, where the spec raises.
public func weighJustificationAndFinalization(
    _ state: JustificationAndFinalizationState, totalActiveBalance: Stake,
    previousEpochTargetBalance: Stake, currentEpochTargetBalance: Stake
) throws(ArithmeticError) -> JustificationAndFinalizationState {
    precondition(state.justificationBits.count == Constants.justificationBitsLength, "justification bits are a Bitvector[4]")
    let previousEpoch = state.previousEpoch
    let currentEpoch = state.currentEpoch
    let oldPreviousJustifiedCheckpoint = state.previousJustifiedCheckpoint
    let oldCurrentJustifiedCheckpoint = state.currentJustifiedCheckpoint
    var state = state

    // Process justifications
    state.previousJustifiedCheckpoint = state.currentJustifiedCheckpoint
    state.justificationBits = [false] + state.justificationBits.prefix(Constants.justificationBitsLength - 1)
    if try isSupermajority(previousEpochTargetBalance, of: totalActiveBalance) {
        state.currentJustifiedCheckpoint = Checkpoint(epoch: previousEpoch, root: state.previousEpochBoundaryRoot)
        state.justificationBits[1] = true
    }
    if try isSupermajority(currentEpochTargetBalance, of: totalActiveBalance) {
        state.currentJustifiedCheckpoint = Checkpoint(epoch: currentEpoch, root: state.currentEpochBoundaryRoot)
        state.justificationBits[0] = true
    }

    // Process finalizations
    let bits = state.justificationBits
    // The 2nd/3rd/4th most recent epochs are justified, the 2nd using the 4th as source
    if bits[1...3].allSatisfy({ $0 }), try oldPreviousJustifiedCheckpoint.epoch.safeAdd(3) == currentEpoch {
        state.finalizedCheckpoint = oldPreviousJustifiedCheckpoint
    }
    // The 2nd/3rd most recent epochs are justified, the 2nd using the 3rd as source
    if bits[1...2].allSatisfy({ $0 }), try oldPreviousJustifiedCheckpoint.epoch.safeAdd(2) == currentEpoch {
        state.finalizedCheckpoint = oldPreviousJustifiedCheckpoint
    }
    // The 1st/2nd/3rd most recent epochs are justified, the 1st using the 3rd as source
    if bits[0...2].allSatisfy({ $0 }), try oldCurrentJustifiedCheckpoint.epoch.safeAdd(2) == currentEpoch {
        state.finalizedCheckpoint = oldCurrentJustifiedCheckpoint
    }
    // The 1st/2nd most recent epochs are justified, the 1st using the 2nd as source
    if bits[0...1].allSatisfy({ $0 }), try oldCurrentJustifiedCheckpoint.epoch.safeAdd(1) == currentEpoch {
        state.finalizedCheckpoint = oldCurrentJustifiedCheckpoint
    }
    precondition(state.justificationBits.count == Constants.justificationBitsLength, "the shift keeps four bits")
    precondition(state.currentEpoch == currentEpoch, "weighing does not advance the epoch")
    return state
}

/// phase0's supermajority test, `attesting * 3 >= total * 2`: the one place it is written, for
/// epoch processing and for light nodes weighing the votes they checked.
///
/// - Throws: `ArithmeticError.overflow` when either product overflows a uint64, where the spec
///   raises.
public func isSupermajority(_ attesting: Stake, of total: Stake) throws(ArithmeticError) -> Bool {
    try attesting.safeMul(3) >= total.safeMul(2)
}
