import KeelChain
import KeelConsensus
import KeelCrypto
import KeelFormats
import KeelProof

/// What the HTTP API needs from a running node: the seam between the API (which owns routes,
/// JSON and errors) and the node runtime (which owns the chain). The node implements it; API
/// tests use an in-memory fake. STYLE.md item 2: the consumer owns the protocol.
public protocol ChainView: Sendable {
    /// The chain this node follows.
    var genesisRoot: Root { get }

    /// Identity and liveness of this node.
    func identity() async -> NodeIdentity

    /// The head block, its post-state, and the store's justified and finalized checkpoints,
    /// taken together so they are consistent with each other.
    func headSnapshot() async -> HeadSnapshot

    /// A known block by root (nil if unknown or pruned).
    func block(root: Root) async -> SignedBlock?

    /// The root of the canonical (head-chain) block at `slot`, nil for an empty or future slot.
    func canonicalBlockRoot(slot: Slot) async -> Root?

    /// Validates and pools a transaction and gossips it; returns its root.
    func submitTransaction(_ transaction: SignedTransaction) async throws(TransactionSubmissionError) -> Root

    /// The genesis file the node runs, served at `GET /genesis` for light nodes; nil if the
    /// view has none (then that route answers 404).
    var genesisFile: GenesisFile? { get }

    /// The proof system of a prover node (`keel node --prover`); nil for a node that is not a
    /// prover, whose proof routes answer 404.
    var proofSystem: (any ProofSystem)? { get }

    /// What the prover made and stored for block `root`: nil for a block it has not proven
    /// (yet: proving follows import).
    ///
    /// - Throws: When the store cannot be read (the API answers 500).
    func provenBlock(root: Root) async throws -> ProvenBlockRecord?

    /// The receipts of block `root`, in block order (empty for a block without transactions).
    ///
    /// - Throws: When the store cannot be read (the API answers 500).
    func receipts(blockRoot root: Root) async throws -> [APIReceiptJSON]

    /// Where transaction `root` stands: in the pool, in a block (with its receipts), or neither.
    ///
    /// - Throws: When the store cannot be read (the API answers 500).
    func transactionStatus(root: Root) async throws -> TransactionStatus

    /// The node's event stream, nil for a view without one (`GET /events` answers 404).
    var events: EventHub? { get }

    /// The fork-choice tree with the head and checkpoints, nil for a view without one
    /// (`GET /fork_choice` answers 404).
    func forkChoice() async -> ForkChoiceView?

    /// The connected peers (`GET /node/peers`).
    func peers() async -> [PeerInfo]
}

/// The fork-choice tree at one moment, for `GET /fork_choice`.
public struct ForkChoiceView: Sendable {
    public var head: Root
    public var justified: Checkpoint
    public var finalized: Checkpoint
    public var nodes: [ForkChoiceNode]

    public init(head: Root, justified: Checkpoint, finalized: Checkpoint, nodes: [ForkChoiceNode]) {
        self.head = head
        self.justified = justified
        self.finalized = finalized
        self.nodes = nodes
    }
}

/// Where a transaction stands, for `GET /transactions/{root}`.
public struct TransactionStatus: Sendable {
    /// Whether the transaction waits in the pool.
    public var isPending: Bool
    /// Its receipts in stored blocks, each with whether that block is on the head's chain.
    public var inclusions: [(receipt: APIReceiptJSON, isCanonical: Bool)]

    public init(isPending: Bool, inclusions: [(receipt: APIReceiptJSON, isCanonical: Bool)]) {
        self.isPending = isPending
        self.inclusions = inclusions
    }
}

extension ChainView {
    /// No genesis file to serve, by default.
    public var genesisFile: GenesisFile? { nil }

    /// Not a prover, by default.
    public var proofSystem: (any ProofSystem)? { nil }

    /// No proofs, by default.
    public func provenBlock(root: Root) async throws -> ProvenBlockRecord? { nil }

    /// No events, by default.
    public var events: EventHub? { nil }

    /// No receipts, by default (a block with transactions then answers 503).
    public func receipts(blockRoot root: Root) async throws -> [APIReceiptJSON] { [] }

    /// No fork-choice tree, by default.
    public func forkChoice() async -> ForkChoiceView? { nil }

    /// No peers, by default.
    public func peers() async -> [PeerInfo] { [] }

    /// Nothing pooled or included, by default.
    public func transactionStatus(root: Root) async throws -> TransactionStatus {
        TransactionStatus(isPending: false, inclusions: [])
    }
}

/// Who a node is and how it is doing.
public struct NodeIdentity: Hashable, Sendable {
    public var nodeID: String
    public var version: String
    public var listenAddress: String
    public var peerCount: Int
    /// Validators this node runs.
    public var validatorCount: Int
    public var isSyncing: Bool
    /// The API addresses of every node of this node's testnet (this one included), for the
    /// explorer's network view; empty outside a testnet.
    public var testnetAPIs: [String]

    public init(
        nodeID: String, version: String, listenAddress: String, peerCount: Int, validatorCount: Int, isSyncing: Bool,
        testnetAPIs: [String] = []
    ) {
        self.nodeID = nodeID
        self.version = version
        self.listenAddress = listenAddress
        self.peerCount = peerCount
        self.validatorCount = validatorCount
        self.isSyncing = isSyncing
        self.testnetAPIs = testnetAPIs
    }
}

/// The head as one consistent snapshot.
public struct HeadSnapshot: Sendable {
    public var headRoot: Root
    public var state: ChainState
    public var justified: Checkpoint
    public var finalized: Checkpoint

    public init(headRoot: Root, state: ChainState, justified: Checkpoint, finalized: Checkpoint) {
        self.headRoot = headRoot
        self.state = state
        self.justified = justified
        self.finalized = finalized
    }
}

