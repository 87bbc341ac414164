import Foundation
import HTTPTypes
import NIOCore
import HummingbirdTesting
import KeelChain
import KeelConsensus
import KeelCrypto
@testable import KeelNode
import XCTest

/// Every endpoint's real answers, success and error, checked against `openapi.json`: the status
/// is one the document lists for the route, and a JSON body matches that status's schema.
final class OpenAPIConformanceTests: XCTestCase {
    private static let document = try! JSONValue.parse(Data(OpenAPIDocument.bytes))

    /// Requests covering every route and its documented failures.
    private static func requests(_ fixture: APIFixture, proof: ProofFixture) -> [(HTTPRequest.Method, String, ByteBuffer?)] {
        let transfer = fixture.transfer.hashTreeRoot.hex
        let unknown = RuleHash.tag(1).hex
        let proven = proof.records[0].blockRoot.hex
        return [
            (.get, "/health", nil), (.get, "/node/identity", nil), (.get, "/chain/head", nil), (.get, "/chain/finality", nil),
            (.get, "/genesis", nil),
            (.get, "/blocks/head", nil), (.get, "/blocks/\(APIFixture.transferSlot)", nil), (.get, "/blocks/\(APIFixture.callSlot)", nil),
            (.get, "/blocks/\(APIFixture.skippedSlot)", nil), (.get, "/blocks/garbage", nil), (.get, "/blocks/\(unknown)", nil),
            (.get, "/blocks/head/proof", nil), (.get, "/blocks/head/witness", nil), (.get, "/blocks/head/registry", nil),
            (.get, "/blocks/\(APIFixture.deploySlot)/receipts", nil), (.get, "/blocks/\(APIFixture.callSlot)/receipts", nil),
            (.get, "/blocks/x/receipts", nil), (.get, "/blocks/\(unknown)/receipts", nil),
            (.get, "/validators", nil), (.get, "/validators?offset=2&limit=3", nil), (.get, "/validators?limit=0", nil),
            (.get, "/validators/3", nil), (.get, "/validators/99", nil), (.get, "/validators/-1", nil),
            (.get, "/accounts/\(Address(fixture.transfer.message.sender.hash).hash.hex)", nil), (.get, "/accounts/\(unknown)", nil),
            (.get, "/accounts/zz", nil),
            (.get, "/programs/\(fixture.program.hash.hex)", nil), (.get, "/programs/\(unknown)", nil), (.get, "/programs/zz", nil),
            (.post, "/transactions", jsonBody(["transaction": Hex.encode(fixture.pendingTransfer.encoded)])),
            (.post, "/transactions", jsonBody(["transaction": "zz"])), (.post, "/transactions", ByteBuffer(string: "[1]")),
            (.get, "/transactions/\(transfer)", nil), (.get, "/transactions/\(fixture.pendingTransfer.hashTreeRoot.hex)", nil),
            (.get, "/transactions/\(unknown)", nil), (.get, "/transactions/12", nil),
            (.get, "/events", nil), (.get, "/events?topics=nope", nil),
            (.get, "/metrics", nil), (.get, "/openapi.json", nil), (.get, "/fork_choice", nil), (.get, "/node/peers", nil),
            (.get, "/no/such/route", nil),
        ] + [
            (.get, "/blocks/\(proven)/proof", nil), (.get, "/blocks/\(proven)/witness", nil), (.get, "/blocks/\(proven)/registry", nil),
        ]
    }

    func testEveryAnswerMatchesTheDocument() async throws {
        let fixture = APIFixture.shared
        let proof = ProofFixture.shared
        var view = fixture.view
        view.events = EventHub()
        let requests = Self.requests(fixture, proof: proof)
        var failures: [String] = []
        var checked = 0
        for (method, uri, body) in requests {
            // The proof routes answer from the prover fixture; everything else from the plain one.
            let response: TestResponse = if uri.hasPrefix("/blocks/\(proof.records[0].blockRoot.hex)") {
                try await withAPI(view: proof.view) { client in try await client.execute(uri: uri, method: method, body: body) }
            } else {
                try await withAPI(view: view) { client in try await client.execute(uri: uri, method: method, body: body) }
            }
            let problems = Self.check(method: method, uri: uri, response: response)
            failures += problems.map { "\(method) \(uri) → \(response.status.code): \($0)" }
            checked += 1
        }
        XCTAssertEqual(checked, requests.count)
        XCTAssertEqual(failures, [], failures.joined(separator: "\n"))
    }

    func testTheCheckCatchesAnAnswerThatStrays() throws {
        let validator = JSONSchemaSubset(document: Self.document)
        let head = try XCTUnwrap(validator.resolve("#/components/schemas/Head"))
        let good = try JSONValue.parse(Data(#"{"slot":1,"epoch":0,"root":"\#(RuleHash.tag(1).hex)","state_root":"\#(RuleHash.tag(2).hex)"}"#.utf8))
        XCTAssertEqual(validator.failures(good, head), [])
        let extra = try JSONValue.parse(Data(#"{"slot":1,"epoch":0,"root":"\#(RuleHash.tag(1).hex)","state_root":"\#(RuleHash.tag(2).hex)","x":1}"#.utf8))
        XCTAssertEqual(validator.failures(extra, head), ["$: undocumented property 'x'"])
        let wrong = try JSONValue.parse(Data(#"{"slot":"1","epoch":0,"root":"AB","state_root":"\#(RuleHash.tag(2).hex)"}"#.utf8))
        XCTAssertEqual(validator.failures(wrong, head).count, 2, "a string slot and a non-hex root")
        let missing = try JSONValue.parse(Data(#"{"slot":1}"#.utf8))
        XCTAssertEqual(validator.failures(missing, head).count, 3)
    }

    func testEveryEventSchemaIsListedAndEveryTopicHasOne() throws {
        let events = try XCTUnwrap(Self.document["x-keel-events"]?.object)
        XCTAssertEqual(Set(events.keys), Set(ChainEventTopic.allCases.map(\.rawValue) + ["missed"]))
    }

    /// The problems of one answer: an undocumented route or status, or a body off its schema.
    private static func check(method: HTTPRequest.Method, uri: String, response: TestResponse) -> [String] {
        let path = String(uri.split(separator: "?", maxSplits: 1)[0])
        guard let (template, item) = route(path) else {
            // An undocumented route must be the router's JSON 404.
            return response.status == .notFound ? validate(response, schema: .object(["$ref": .string("#/components/schemas/Error")])) : ["no such route in the document"]
        }
        guard let operation = item[method.rawValue.lowercased()] else { return ["\(template) documents no \(method)"] }
        guard let answer = operation["responses"]?[String(response.status.code)] else {
            return ["status \(response.status.code) is not documented for \(template)"]
        }
        guard let content = answer["content"]?.object, let (mediaType, media) = content.first else { return [] }
        guard response.headers[.contentType]?.hasPrefix(mediaType) == true else {
            return ["content type \(response.headers[.contentType] ?? "none"), documented \(mediaType)"]
        }
        guard mediaType == "application/json", let schema = media["schema"] else { return [] }
        return validate(response, schema: schema)
    }

    private static func validate(_ response: TestResponse, schema: JSONValue) -> [String] {
        guard let value = try? JSONValue.parse(Data(response.body.readableBytesView)) else { return ["the body is not JSON"] }
        return JSONSchemaSubset(document: document).failures(value, schema)
    }

    /// The document's path template matching `path` (`{name}` matches one segment).
    private static func route(_ path: String) -> (String, JSONValue)? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for (template, item) in document["paths"]?.object ?? [:] {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count else { continue }
            if zip(parts, segments).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) { return (template, item) }
        }
        return nil
    }
}
