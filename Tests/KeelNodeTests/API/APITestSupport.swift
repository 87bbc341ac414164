import Foundation
import Hummingbird
import HummingbirdTesting
import KeelChain
import KeelConsensus
import KeelCrypto
import KeelFormats
import KeelVM
@testable import KeelNode
import KeelTestSupport
import NIOCore
import XCTest

/// An in-memory ``ChainView`` over a real ``TestChain``: blocks by root, canonical roots by slot,
/// and a submission rule the test chooses.
struct FakeChainView: ChainView {
    let genesisRoot: Root
    let snapshot: HeadSnapshot
    let blocksByRoot: [Root: SignedBlock]
    let canonicalRoots: [Slot: Root]
    let nodeIdentity: NodeIdentity
    var submit: @Sendable (SignedTransaction) -> Result<Root, TransactionSubmissionError>
    /// Each block's receipts, as the node stores them.
    var receiptsByBlock: [Root: [APIReceiptJSON]] = [:]
    /// The roots in the pool.
    var pooled: Set<Root> = []
    var events: EventHub? = nil
    var forkChoiceView: ForkChoiceView? = nil
    var peerList: [PeerInfo] = []

    func forkChoice() async -> ForkChoiceView? { forkChoiceView }
    func peers() async -> [PeerInfo] { peerList }

    func identity() async -> NodeIdentity { nodeIdentity }

    func receipts(blockRoot root: Root) async throws -> [APIReceiptJSON] { receiptsByBlock[root] ?? [] }

    func transactionStatus(root: Root) async throws -> TransactionStatus {
        let inclusions = receiptsByBlock.values.joined().filter { $0.transactionRoot == root.hex }.map { receipt in
            (receipt: receipt, isCanonical: canonicalRoots[Slot(receipt.slot)]?.hex == receipt.blockRoot)
        }
        return TransactionStatus(isPending: pooled.contains(root), inclusions: Array(inclusions))
    }
    func headSnapshot() async -> HeadSnapshot { snapshot }
    func block(root: Root) async -> SignedBlock? { blocksByRoot[root] }
    func canonicalBlockRoot(slot: Slot) async -> Root? { canonicalRoots[slot] }

    func submitTransaction(_ transaction: SignedTransaction) async throws(TransactionSubmissionError) -> Root {
        try submit(transaction).get()
    }

    /// The same chain with another submission rule.
    func submitting(_ rule: @escaping @Sendable (SignedTransaction) -> Result<Root, TransactionSubmissionError>)
        -> FakeChainView
    {
        var view = self
        view.submit = rule
        return view
    }
}

/// A chain of 8 devnet validators through epoch 3, with slot `skippedSlot` empty, one transfer
/// (from validator 0's account) in the block of `transferSlot`, and from validator 2's account a
/// counter program deployed at `deploySlot` and called (adding 7 to its storage) at `callSlot`.
struct APIFixture: Sendable {
    static let skippedSlot = Slot(6)
    static let transferSlot = Slot(3)
    static let deploySlot = Slot(4)
    static let callSlot = Slot(5)
    static let counterSource = """
        .memory 4
        .storage 1
        .inputs 1
            add r0, r0, r1
            halt
        """
    static let lastSlot = Slot(31)

    let view: FakeChainView
    let blocks: [SignedBlock]
    let transfer: SignedTransaction
    /// The counter program's address.
    let program: Address
    /// The call of the counter.
    let call: SignedTransaction
    /// A valid, signed transaction not in any block (nonce 1 from validator 0).
    let pendingTransfer: SignedTransaction
    let state: ChainState

    static let shared: APIFixture = try! APIFixture()

    private init() throws {
        var chain = try TestChain(validatorCount: 8, randaoChainLength: 64)
        var store = ForkChoiceStore(anchorState: chain.state, currentSlot: Self.lastSlot)
        let sender = Address(chain.secretKeys[0].publicKey)
        let recipient = Address(chain.secretKeys[1].publicKey)
        func signedTransfer(nonce: UInt64, state: ChainState) -> SignedTransaction {
            let message = Transaction(
                sender: sender, nonce: nonce, fee: Stake(1_000), kind: .transfer(recipient: recipient, amount: Stake(5_000)))
            return SignedTransaction(message: message, signature: chain.secretKeys[0].sign(state.signingRoot(of: message)))
        }
        transfer = signedTransfer(nonce: 0, state: chain.state)
        let deployer = Address(chain.secretKeys[2].publicKey)
        let code = try Assembler.assemble(Self.counterSource).encoded()
        let deploy = Transaction(sender: deployer, nonce: 0, fee: Stake(2_000), kind: .deploy(code: code))
        program = Address.program(deployer: deployer, nonce: 0)
        let callMessage = Transaction(
            sender: deployer, nonce: 1, fee: Stake(100), kind: .call(program: program, input: [7], stepLimit: 100))
        call = SignedTransaction(message: callMessage, signature: chain.secretKeys[2].sign(chain.state.signingRoot(of: callMessage)))
        let byCallSlot: [Slot: [SignedTransaction]] = [
            Self.transferSlot: [transfer],
            Self.deploySlot: [SignedTransaction(message: deploy, signature: chain.secretKeys[2].sign(chain.state.signingRoot(of: deploy)))],
            Self.callSlot: [call],
        ]
        var blocks: [SignedBlock] = []
        var receipts: [Root: [APIReceiptJSON]] = [:]
        for slot in 1...Self.lastSlot.rawValue where Slot(slot) != Self.skippedSlot {
            let preState = chain.state
            let operations = BlockOperations(transactions: byCallSlot[Slot(slot)] ?? [])
            let block = try chain.advance(to: Slot(slot), operations: operations)
            blocks.append(block)
            _ = try store.onBlock(block, strategy: .skip)
            let root = block.message.hashTreeRoot
            receipts[root] = try preState.transactionReceipts(of: block.message).map {
                APIReceiptJSON($0, blockRoot: root, slot: block.message.slot)
            }
        }
        pendingTransfer = signedTransfer(nonce: 1, state: chain.state)
        state = chain.state
        let snapshot = HeadSnapshot(
            headRoot: chain.headRoot, state: chain.state, justified: chain.state.currentJustifiedCheckpoint,
            finalized: chain.state.finalizedCheckpoint)
        self.blocks = blocks
        view = FakeChainView(
            genesisRoot: chain.state.genesisRoot, snapshot: snapshot,
            blocksByRoot: Dictionary(uniqueKeysWithValues: blocks.map { ($0.message.hashTreeRoot, $0) }),
            canonicalRoots: Dictionary(uniqueKeysWithValues: blocks.map { ($0.message.slot, $0.message.hashTreeRoot) }),
            nodeIdentity: NodeIdentity(
                nodeID: "node-0", version: "0.1.0", listenAddress: "127.0.0.1:9000", peerCount: 3, validatorCount: 8,
                isSyncing: false),
            submit: { .success($0.hashTreeRoot) },
            receiptsByBlock: receipts.filter { !$0.value.isEmpty }, pooled: [pendingTransfer.hashTreeRoot],
            forkChoiceView: ForkChoiceView(
                head: store.getHead(), justified: store.justifiedCheckpoint, finalized: store.finalizedCheckpoint,
                nodes: store.forkChoiceNodes()))
    }
}

/// Runs `body` against the router of `view` in HummingbirdTesting's router mode (no sockets).
func withAPI<Value: Sendable>(
    view: some ChainView = APIFixture.shared.view, metrics: NodeMetrics = NodeMetrics(),
    requestBodyBytesMax: Int = APIServer.requestBodyBytesMax,
    _ body: @Sendable (any TestClientProtocol) async throws -> Value
) async throws -> Value {
    let router = makeRouter(view: view, metrics: metrics, requestBodyBytesMax: requestBodyBytesMax)
    let application = Application(router: router)
    return try await application.test(.router) { client in try await body(client) }
}

extension TestResponse {
    /// The body parsed as a JSON object.
    func json(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let data = Data(body.readableBytesView)
        let object = try JSONSerialization.jsonObject(with: data)
        return try XCTUnwrap(object as? [String: Any], "not a JSON object: \(String(buffer: body))", file: file, line: line)
    }

    /// The body as text.
    var text: String { String(buffer: body) }
}

/// Asserts an error response: the status, a JSON content type and `{"error": "..."}`.
func assertAPIError(
    _ response: TestResponse, _ status: HTTPResponse.Status, containing fragment: String = "",
    file: StaticString = #filePath, line: UInt = #line
) throws {
    XCTAssertEqual(response.status, status, response.text, file: file, line: line)
    XCTAssertEqual(response.headers[.contentType], APIJSON.contentType, file: file, line: line)
    let message = try XCTUnwrap(try response.json(file: file, line: line)["error"] as? String, file: file, line: line)
    XCTAssertFalse(message.isEmpty, file: file, line: line)
    if !fragment.isEmpty {
        XCTAssertTrue(message.contains(fragment), "'\(message)' lacks '\(fragment)'", file: file, line: line)
    }
}

/// A JSON body.
func jsonBody(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}
