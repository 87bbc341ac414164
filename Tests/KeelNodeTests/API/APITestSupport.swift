import Foundation
import Hummingbird
import HummingbirdTesting
import KeelChain
import KeelCrypto
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
    let submit: @Sendable (SignedTransaction) -> Result<Root, TransactionSubmissionError>

    func identity() async -> NodeIdentity { nodeIdentity }
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
        FakeChainView(
            genesisRoot: genesisRoot, snapshot: snapshot, blocksByRoot: blocksByRoot, canonicalRoots: canonicalRoots,
            nodeIdentity: nodeIdentity, submit: rule)
    }
}

/// A chain of 8 devnet validators through epoch 3, with slot `skippedSlot` empty and one transfer
/// (from validator 0's account) in the block of `transferSlot`.
struct APIFixture: Sendable {
    static let skippedSlot = Slot(6)
    static let transferSlot = Slot(3)
    static let lastSlot = Slot(31)

    let view: FakeChainView
    let blocks: [SignedBlock]
    let transfer: SignedTransaction
    /// A valid, signed transaction not in any block (nonce 1 from validator 0).
    let pendingTransfer: SignedTransaction
    let state: ChainState

    static let shared: APIFixture = try! APIFixture()

    private init() throws {
        var chain = try TestChain(validatorCount: 8, randaoChainLength: 64)
        let sender = Address(chain.secretKeys[0].publicKey)
        let recipient = Address(chain.secretKeys[1].publicKey)
        func signedTransfer(nonce: UInt64, state: ChainState) -> SignedTransaction {
            let message = Transaction(
                sender: sender, nonce: nonce, fee: Stake(1_000), kind: .transfer(recipient: recipient, amount: Stake(5_000)))
            return SignedTransaction(message: message, signature: chain.secretKeys[0].sign(state.signingRoot(of: message)))
        }
        transfer = signedTransfer(nonce: 0, state: chain.state)
        var blocks: [SignedBlock] = []
        for slot in 1...Self.lastSlot.rawValue where Slot(slot) != Self.skippedSlot {
            let operations = Slot(slot) == Self.transferSlot ? BlockOperations(transactions: [transfer]) : BlockOperations()
            blocks.append(try chain.advance(to: Slot(slot), operations: operations))
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
            submit: { .success($0.hashTreeRoot) })
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
