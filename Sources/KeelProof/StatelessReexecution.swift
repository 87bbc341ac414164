import KeelChain
import KeelCrypto

/// The honest re-execution baseline for a node that holds no state: re-executes a block on the
/// pre-state a witness opens, and checks the post-state root the block claims.
///
/// Sound against a dishonest witness: the multiproof must hash to the trusted pre-state root,
/// every entry must match its leaf, every key the transition writes must lie inside the
/// multiproof, and every account or program it reads and does not find must be proven absent.
public enum StatelessReexecution {
    /// The result of a block that verified.
    public struct Outcome: Sendable {
        /// The claim the re-execution establishes (the block's state root is its post-state root).
        public let claim: TransitionClaim
        /// The post-state, over the witness's partial tree: its fields and validators are all
        /// there, its accounts and programs only those the block touched.
        public let postState: ChainState
        /// The pre-state the witness opened (as partial as the post-state): what the block's
        /// receipts are recomputed from (``ChainState/transactionReceipts(of:)``).
        public let preState: ChainState
    }

    /// Re-executes `block` from `preStateRoot` and `witness` alone; with `executor`, calls take
    /// their results from it (a STARK verifier's proven results) instead of the interpreter.
    ///
    /// - Throws: ``StatelessVerificationError``: the witness does not open or does not cover
    ///   the block, or the block is invalid (including a post-state root that is not the one
    ///   re-execution computes).
    public static func verify(
        _ block: SignedBlock, preStateRoot: Root, witness: StateWitness, preset: Preset,
        strategy: SignatureStrategy = .verifyIndividually, executor: (any VMExecutor)? = nil
    ) throws(StatelessVerificationError) -> Outcome {
        let opened: ChainState
        do { opened = try witness.open(root: preStateRoot, preset: preset) } catch { throw .witness(error) }
        var state = opened
        let log = StateAccessLog()
        state.attachAccessLog(log)
        if let executor { state.attachVMExecutor(executor) }
        var failure: BlockProcessingError?
        do { try state.stateTransition(block, strategy: strategy) } catch { failure = error }
        state.detachAccessLog()
        // A gap in the witness explains any failure that follows from it, so it is reported first.
        try checkCoverage(of: state, opened: opened, log: log)
        if let failure {
            if case .stateRootMismatch(let claimed, let computed) = failure {
                throw .postStateRootMismatch(claimed: claimed, computed: computed)
            }
            throw .invalidBlock(failure)
        }
        let claim = TransitionClaim(
            preStateRoot: preStateRoot, blockRoot: block.message.hashTreeRoot, postStateRoot: block.message.stateRoot,
            vmSteps: log.vmSteps)
        return Outcome(claim: claim, postState: state, preState: opened)
    }

    /// Every key written lies inside the multiproof, and every account or program read that the
    /// witness did not hold is proven absent from the pre-state.
    private static func checkCoverage(
        of state: ChainState, opened: ChainState, log: StateAccessLog
    ) throws(StatelessVerificationError) {
        if let key = state.uncoveredKeys.first { throw .witnessIncomplete(key: key) }
        let accountKeys = log.accountAddresses.filter { opened.accounts[$0] == nil }.map(ChainState.StateKey.account)
        let programKeys = log.programAddresses.filter { opened.programs[$0] == nil }.map(ChainState.StateKey.program)
        for key in accountKeys + programKeys {
            let absent: Bool
            do { absent = try opened.witnessHoldsAbsent(key) } catch { throw .witnessIncomplete(key: key) }
            guard absent else { throw .witnessOmitsEntry(key: key) }
        }
    }
}

/// Why stateless re-execution rejected a block.
public enum StatelessVerificationError: Error, Sendable, CustomStringConvertible {
    /// The witness does not open against the pre-state root.
    case witness(StateWitnessError)
    /// The block touches a key the witness's multiproof does not reach.
    case witnessIncomplete(key: Hash32)
    /// The block reads an entry the pre-state holds but the witness left out.
    case witnessOmitsEntry(key: Hash32)
    /// Re-execution computes another post-state root than the block claims.
    case postStateRootMismatch(claimed: Root, computed: Root)
    /// The block breaks a rule of the state transition.
    case invalidBlock(BlockProcessingError)

    public var description: String {
        switch self {
        case .witness(let error): "bad witness: \(error)"
        case .witnessIncomplete(let key): "the witness does not reach state key \(key.hex), which the block touches"
        case .witnessOmitsEntry(let key): "the witness leaves out the entry at state key \(key.hex), which the block reads"
        case .postStateRootMismatch(let claimed, let computed):
            "the block claims state root \(claimed.hex), re-execution computes \(computed.hex)"
        case .invalidBlock(let error): "invalid block: \(error)"
        }
    }
}
