import KeelChain

/// What fixes a node core's behaviour beyond its chain: signature checking, byzantine mode and
/// the bounds of every queue it keeps (STYLE item 13).
public struct NodeCoreConfig: Sendable {
    /// `.verify` everywhere but the simulator's scale runs.
    public var signatures: SignatureMode = .verify
    /// Which of the node's validators equivocate on purpose.
    public var byzantine: ByzantineMode = .none
    /// A block carrying at least this many signatures is checked as one batch through
    /// ``verifyBatch``; smaller ones one signature at a time.
    public var batchSignatureCountMin = 8
    /// Checks a batch of signature sets: `keel node` spreads it over every core
    /// (`ParallelSignatureVerifier`); the default checks them one after another.
    public var verifyBatch: @Sendable ([SignatureSet]) -> Bool = { sets in sets.allSatisfy(\.isValid) }
    /// The simulator's transitions shared between its cores; nil (always, in `keel node`)
    /// runs every transition here.
    public var sharedTransitions: SharedTransitions? = nil
    /// Blocks held while their parent is unknown.
    public var orphanCountMax = 4_096
    /// Blocks held until the clock reaches their slot.
    public var futureBlockCountMax = 1_024
    /// Attestations held until their block arrives or their slot passes.
    public var waitingAttestationCountMax = 65_536
    /// Transactions pooled.
    public var transactionCountMax = 4_096
    /// Slots asked for in one range request (at most the wire's response bound).
    public var rangeBatchSlotCount: UInt64 = 64
    /// Missing parents asked for again at each slot start.
    public var parentRequestsPerSlotMax = 16
    /// Blocks imported in one go (a block and the orphans it unlocks).
    public var importChainCountMax = 4_096

    /// The defaults: verify everything, honest.
    public init() {}
}
