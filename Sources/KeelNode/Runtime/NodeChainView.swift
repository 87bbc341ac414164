import KeelChain
import KeelCrypto
import KeelFormats
import KeelProof

/// The ``ChainView`` of a running ``Node``, for the HTTP API.
public struct NodeChainView: ChainView {
    /// The node viewed.
    public let node: Node
    /// The chain the node follows.
    public let genesisRoot: Root

    /// Creates the view of `node`.
    public init(node: Node) {
        self.node = node
        self.genesisRoot = node.genesisRoot
    }

    public func identity() async -> NodeIdentity { await node.identity() }

    public func headSnapshot() async -> HeadSnapshot { await node.headSnapshot() }

    public func block(root: Root) async -> SignedBlock? { await node.blocks(roots: [root]).first }

    public func canonicalBlockRoot(slot: Slot) async -> Root? { await node.canonicalBlockRoot(slot: slot) }

    public var genesisFile: GenesisFile? { node.config.genesis }

    public var proofSystem: (any ProofSystem)? { node.prover?.system }

    public func provenBlock(root: Root) async throws -> ProvenBlockRecord? {
        guard node.prover != nil else { return nil }
        return try node.chainDatabase.provenBlock(blockRoot: root)
    }

    public func receipts(blockRoot root: Root) async throws -> [APIReceiptJSON] {
        try node.chainDatabase.receipts(blockRoot: root)
    }

    public func transactionStatus(root: Root) async throws -> TransactionStatus {
        try await node.transactionStatus(root: root)
    }

    public var events: EventHub? { node.events }

    public func forkChoice() async -> ForkChoiceView? { await node.forkChoice() }

    public func peers() async -> [PeerInfo] { await node.connectedPeers() }

    public func submitTransaction(_ transaction: SignedTransaction) async throws(TransactionSubmissionError) -> Root {
        try await node.submitTransaction(transaction)
    }
}
