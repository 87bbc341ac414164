import KeelChain
import KeelCrypto

/// One block applied with a trace: its claim, the witness of its pre-state, and the post-state.
public struct TracedTransition: Sendable {
    public let claim: TransitionClaim
    public let witness: StateWitness
    public let postState: ChainState
}

/// The prover's side of stateless re-execution: applies a block to a full state while recording
/// every account and program it reads or writes, then cuts the pre-state's witness to those.
public enum BlockWitnessBuilder {
    /// Applies `block` to `preState` (the full state, e.g. its parent's post-state) and cuts the
    /// block witness.
    ///
    /// - Parameter strategy: how to treat signatures; `.skip` for a block already imported.
    /// - Throws: the transition's error when the block is invalid.
    public static func trace(
        _ block: SignedBlock, preState: ChainState, strategy: SignatureStrategy = .verifyIndividually
    ) throws(BlockProcessingError) -> TracedTransition {
        var pre = preState
        pre.detachAccessLog()
        let preStateRoot = pre.hashTreeRoot()
        var post = pre
        let log = StateAccessLog()
        post.attachAccessLog(log)
        try post.stateTransition(block, strategy: strategy)
        post.detachAccessLog()
        let witness = StateWitness.cut(
            from: pre, accounts: log.accountAddresses, programs: log.programAddresses,
            validatorCount: post.validators.count)
        // The transition checked the block's state root against the one it computed.
        let claim = TransitionClaim(
            preStateRoot: preStateRoot, blockRoot: block.message.hashTreeRoot, postStateRoot: block.message.stateRoot,
            vmSteps: log.vmSteps)
        return TracedTransition(claim: claim, witness: witness, postState: post)
    }
}
