import Foundation
import HummingbirdTesting
import KeelChain
import KeelCrypto
@testable import KeelNode
import KeelTestSupport
import XCTest

/// `GET /blocks/{id}/receipts`, `GET /transactions/{root}`, `GET /programs/{address}` and
/// `GET /events` against the fixture chain (a transfer, a deploy and a call).
final class APIReceiptsTests: XCTestCase {
    private let fixture = APIFixture.shared

    func testBlockReceiptsSayWhatEachTransactionDid() async throws {
        let fixture = self.fixture
        try await withAPI { client in
            let transfer = try await client.execute(uri: "/blocks/\(APIFixture.transferSlot)/receipts", method: .get).json()
            let transferReceipts = try XCTUnwrap(transfer["receipts"] as? [[String: Any]])
            XCTAssertEqual(transferReceipts.count, 1)
            XCTAssertEqual(transferReceipts[0]["transaction_root"] as? String, fixture.transfer.hashTreeRoot.hex)
            XCTAssertEqual(transferReceipts[0]["kind"] as? String, "transfer")
            XCTAssertEqual(transferReceipts[0]["fee_paid"] as? String, "1000")
            XCTAssertEqual(transferReceipts[0]["status"] as? String, "success")

            let deploy = try await client.execute(uri: "/blocks/\(APIFixture.deploySlot)/receipts", method: .get).json()
            XCTAssertEqual((deploy["receipts"] as? [[String: Any]])?.first?["program"] as? String, fixture.program.hash.hex)

            let call = try await client.execute(uri: "/blocks/\(APIFixture.callSlot)/receipts", method: .get).json()
            let callReceipt = try XCTUnwrap((call["receipts"] as? [[String: Any]])?.first)
            XCTAssertEqual(callReceipt["steps"] as? Int, 2)
            XCTAssertEqual(callReceipt["output"] as? [Int], [])
            XCTAssertNil(callReceipt["fault"])
            let changes = try XCTUnwrap(callReceipt["storage_changes"] as? [[String: Int]])
            XCTAssertEqual(changes, [["cell": 0, "before": 0, "after": 7]])

            let empty = try await client.execute(uri: "/blocks/1/receipts", method: .get).json()
            XCTAssertEqual((empty["receipts"] as? [Any])?.count, 0)
            try assertAPIError(try await client.execute(uri: "/blocks/nope/receipts", method: .get), .badRequest)
            try assertAPIError(try await client.execute(uri: "/blocks/\(RuleHash.tag(7).hex)/receipts", method: .get), .notFound)
        }
    }

    func testTransactionStatusIsIncludedPendingOrUnknown() async throws {
        let fixture = self.fixture
        try await withAPI { client in
            let included = try await client.execute(uri: "/transactions/\(fixture.transfer.hashTreeRoot.hex)", method: .get)
            XCTAssertEqual(included.status, .ok)
            let body = try included.json()
            XCTAssertEqual(body["status"] as? String, "included")
            XCTAssertEqual(body["canonical"] as? Bool, true)
            XCTAssertEqual((body["receipt"] as? [String: Any])?["slot"] as? Int, Int(APIFixture.transferSlot.rawValue))

            let pending = try await client.execute(uri: "/transactions/0x\(fixture.pendingTransfer.hashTreeRoot.hex)", method: .get)
            XCTAssertEqual(try pending.json()["status"] as? String, "pending")

            let unknown = try await client.execute(uri: "/transactions/\(RuleHash.tag(9).hex)", method: .get)
            XCTAssertEqual(unknown.status, .notFound)
            XCTAssertEqual(try unknown.json()["status"] as? String, "unknown")

            try assertAPIError(try await client.execute(uri: "/transactions/12ab", method: .get), .badRequest, containing: "64 hex digits")
        }
    }

    func testProgramComesWithAProofAgainstTheStateRoot() async throws {
        let fixture = self.fixture
        try await withAPI { client in
            let body = try await client.execute(uri: "/programs/\(fixture.program.hash.hex)", method: .get).json()
            XCTAssertEqual(body["exists"] as? Bool, true)
            XCTAssertEqual(body["storage"] as? [Int], [7])
            let encoded = try XCTUnwrap(Hex.decode(try XCTUnwrap(body["encoded"] as? String)))
            let program = try ProgramAccount(decoding: encoded)
            XCTAssertEqual(body["code_hash"] as? String, SHA256.hash(program.code).hex)
            XCTAssertEqual(body["code_bytes"] as? Int, program.code.count)
            XCTAssertEqual(body["value_hash"] as? String, SHA256.hash(encoded).hex, "value_hash is the hash of encoded")
            try Self.assertProofVerifies(body, address: fixture.program, valueHash: SHA256.hash(encoded))

            let absent = Address(RuleHash.tag(42))
            let missing = try await client.execute(uri: "/programs/\(absent.hash.hex)", method: .get).json()
            XCTAssertEqual(missing["exists"] as? Bool, false)
            XCTAssertNil(missing["encoded"])
            try Self.assertProofVerifies(missing, address: absent, valueHash: nil)
            try assertAPIError(try await client.execute(uri: "/programs/xyz", method: .get), .badRequest)
        }
    }

    /// The served proof opens the program's key to `valueHash` (nil: absent) against the served root.
    private static func assertProofVerifies(_ body: [String: Any], address: Address, valueHash: Hash32?) throws {
        let proof = try MerkleProof(decoding: try XCTUnwrap(Hex.decode(try XCTUnwrap(body["proof"] as? String))))
        let root = try XCTUnwrap(Root(hex: try XCTUnwrap(body["state_root"] as? String)))
        XCTAssertEqual(body["key"] as? String, ChainState.StateKey.program(address).hex)
        XCTAssertTrue(proof.verify(key: ChainState.StateKey.program(address), valueHash: valueHash, root: root))
        XCTAssertFalse(proof.verify(key: ChainState.StateKey.program(address), valueHash: SHA256.hash([1]), root: root))
    }

    func testEventsNeedKnownTopicsAndAnEventStream() async throws {
        try await withAPI { client in
            try assertAPIError(try await client.execute(uri: "/events?topics=head", method: .get), .notFound, containing: "no events")
        }
        var view = fixture.view
        view.events = EventHub()
        try await withAPI(view: view) { client in
            try assertAPIError(try await client.execute(uri: "/events", method: .get), .badRequest, containing: "required")
            try assertAPIError(try await client.execute(uri: "/events?topics=", method: .get), .badRequest)
            try assertAPIError(
                try await client.execute(uri: "/events?topics=head,bogus", method: .get), .badRequest, containing: "unknown event topic 'bogus'")
        }
    }

    func testEventsStreamTheSubscribedTopicsUntilTheHubCloses() async throws {
        var view = fixture.view
        let hub = EventHub()
        view.events = hub
        let publisher = Task {
            while hub.subscriberCount == 0 { try await Task.sleep(for: .milliseconds(5)) }
            hub.publish(ServerSentEvent(event: "block", data: #"{"slot":1}"#))
            hub.publish(ServerSentEvent(event: "head", data: #"{"slot":2}"#))
            hub.keepAlive()
            hub.close()
        }
        let response = try await withAPI(view: view) { client in
            try await client.execute(uri: "/events?topics=head,finalized_checkpoint", method: .get)
        }
        try await publisher.value
        XCTAssertEqual(response.status, .ok)
        XCTAssertEqual(response.headers[.contentType], "text/event-stream")
        XCTAssertEqual(
            response.text, ": subscribed to finalized_checkpoint,head\n\nevent: head\ndata: {\"slot\":2}\n\n: keep-alive\n\n",
            "only the subscribed topic, then the keep-alive; the stream ends when the hub closes")
    }

    func testTheOpenAPIDocumentIsServedAsIs() async throws {
        try await withAPI { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(Array(response.body.readableBytesView), OpenAPIDocument.bytes)
            XCTAssertEqual(try response.json()["openapi"] as? String, "3.1.0")
        }
    }
}

/// A 32-byte value from a tag, for addresses nothing holds.
enum RuleHash {
    static func tag(_ value: UInt64) -> Hash32 { SHA256.hash(Array("keel/test/\(value)".utf8)) }
}
