import KeelLight
import NIOCore
import NIOPosix
import XCTest

/// The client against ``TestNode``: one test per kind of answer, and one per way of failing.
final class LightHTTPClientTests: XCTestCase {
    private struct Head: Decodable, Equatable {
        var headSlot: UInt64
        var root: String
    }

    private func client(
        _ node: TestNode, base: String = "", timeout: Duration = .seconds(2)
    ) throws -> LightHTTPClient {
        let url = try NodeURL("http://127.0.0.1:\(node.port)\(base)")
        return LightHTTPClient(baseURL: url, timeout: timeout, responseBytesMax: TestNode.bytesMax)
    }

    func testContentLengthJSON() async throws {
        let node = try await TestNode.start()
        let client = try client(node)
        let response = try await client.get("/json")
        XCTAssertEqual(response, HTTPResponse(status: 200, body: Array(TestNode.headJSON.utf8)))
        let head = try await client.getJSON("/json", as: Head.self)
        XCTAssertEqual(head, Head(headSlot: 7, root: "ab"))
        try await node.stop()
    }

    func testChunkedBody() async throws {
        let node = try await TestNode.start()
        let client = try client(node)
        let response = try await client.get("/chunked")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, Array(TestNode.chunks.joined().utf8))
        let head = try await client.getJSON("/chunked", as: Head.self)
        XCTAssertEqual(head, Head(headSlot: 8, root: "cd"))
        try await node.stop()
    }

    func testAPIErrorBecomesStatusWithTheNodesMessage() async throws {
        let node = try await TestNode.start()
        let client = try client(node)
        // get returns any status; only getJSON turns a non-2xx into an error.
        let response = try await client.get("/missing")
        XCTAssertEqual(response.status, 404)
        let error = await failure { () async throws(LightHTTPError) in try await client.getJSON("/missing", as: Head.self) }
        XCTAssertEqual(error, .status(404, path: "/missing", message: "no block"))
        XCTAssertEqual(error?.description, "GET /missing failed with status 404: no block")
        let plain = await failure { () async throws(LightHTTPError) in try await client.getJSON("/plain-error", as: Head.self) }
        XCTAssertEqual(plain, .status(500, path: "/plain-error", message: "boom"))
        let empty = await failure { () async throws(LightHTTPError) in try await client.getJSON("/empty-error", as: Head.self) }
        XCTAssertEqual(empty, .status(503, path: "/empty-error", message: "service unavailable"))
        try await node.stop()
    }

    func testUndecodableBody() async throws {
        let node = try await TestNode.start()
        let client = try client(node)
        let notJSON = await failure { () async throws(LightHTTPError) in try await client.getJSON("/not-json", as: Head.self) }
        guard case .undecodable(let path, _) = notJSON else { return XCTFail("\(String(describing: notJSON))") }
        XCTAssertEqual(path, "/not-json")
        struct Other: Decodable { var finalizedEpoch: UInt64 }
        let wrongShape = await failure { () async throws(LightHTTPError) in try await client.getJSON("/json", as: Other.self) }
        XCTAssertEqual(wrongShape, .undecodable(path: "/json", reason: "missing key \"finalizedEpoch\""))
        try await node.stop()
    }

    func testBodyLargerThanTheCapIsAnError() async throws {
        let node = try await TestNode.start()
        let client = try client(node)
        // Refused by its declared length, then by the bytes counted as chunks arrive.
        for path in ["/big", "/big-chunked"] {
            let error = await failure { () async throws(LightHTTPError) in try await client.get(path) }
            XCTAssertEqual(error, .bodyTooLarge(path: path, bytesMax: TestNode.bytesMax))
        }
        // The client is still usable afterwards.
        let response = try await client.get("/json")
        XCTAssertEqual(response.status, 200)
        try await node.stop()
    }

    func testNodeThatNeverAnswersTimesOut() async throws {
        let node = try await TestNode.start()
        let client = try client(node, timeout: .milliseconds(300))
        let start = ContinuousClock.now
        let error = await failure { () async throws(LightHTTPError) in try await client.get("/hang") }
        let elapsed = ContinuousClock.now - start
        XCTAssertEqual(error, .timeout(address: "http://127.0.0.1:\(node.port)", path: "/hang", timeout: .milliseconds(300)))
        XCTAssertEqual(error?.description, "node at http://127.0.0.1:\(node.port) did not answer GET /hang within 300 ms")
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(250))
        XCTAssertLessThan(elapsed, .seconds(2))
        try await node.stop()
    }

    func testConnectionRefused() async throws {
        let port = try await TestNode.closedPort()
        let client = LightHTTPClient(baseURL: try NodeURL("127.0.0.1:\(port)"), timeout: .seconds(2))
        let error = await failure { () async throws(LightHTTPError) in try await client.get("/chain/head") }
        XCTAssertEqual(error, .cannotConnect(address: "http://127.0.0.1:\(port)", reason: "connection refused"))
        XCTAssertEqual(error?.description, "cannot reach node at http://127.0.0.1:\(port): connection refused")
    }

    func testResponseCutShortIsABadResponse() async throws {
        let node = try await TestNode.start()
        let client = try client(node)
        let error = await failure { () async throws(LightHTTPError) in try await client.get("/cut-short") }
        guard case .badResponse(let address, let path, _) = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(address, "http://127.0.0.1:\(node.port)")
        XCTAssertEqual(path, "/cut-short")
        try await node.stop()
    }

    func testBasePathAndHostHeader() async throws {
        let node = try await TestNode.start()
        let client = try client(node, base: "/keel/")
        let response = try await client.get("/blocks/ab?full=1")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "/keel/blocks/ab?full=1 127.0.0.1:\(node.port)")
        try await node.stop()
    }

    func testBadRequestPathsAreRejectedBeforeConnecting() async throws {
        // Nothing listens on port 9: these must fail on the path, not on the connection.
        let client = LightHTTPClient(baseURL: try NodeURL("127.0.0.1:9"))
        for path in ["chain/head", "/blocks/a b", "/x\r\nHost: evil"] {
            let error = await failure { () async throws(LightHTTPError) in try await client.get(path) }
            guard case .malformedURL(let text, _) = error else { return XCTFail("\(path): \(String(describing: error))") }
            XCTAssertEqual(text, path)
        }
    }

    func testCancellationEndsTheRequest() async throws {
        let node = try await TestNode.start()
        let client = try client(node, timeout: .seconds(10))
        let start = ContinuousClock.now
        let task = Task { () async -> LightHTTPError? in
            await failure { () async throws(LightHTTPError) in try await client.get("/hang") }
        }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        let error = await task.value
        XCTAssertEqual(error, .cancelled(path: "/hang"))
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
        try await node.stop()
    }

    func testConcurrentRequests() async throws {
        let node = try await TestNode.start()
        let client = try client(node)
        let heads = try await withThrowingTaskGroup(of: Head.self) { group in
            for _ in 0..<16 {
                group.addTask { try await client.getJSON("/json", as: Head.self) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(heads, Array(repeating: Head(headSlot: 7, root: "ab"), count: 16))
        try await node.stop()
    }
}

/// The error an operation throws, or nil when it succeeds.
private func failure<T>(_ operation: () async throws(LightHTTPError) -> T) async -> LightHTTPError? {
    do throws(LightHTTPError) {
        _ = try await operation()
        return nil
    } catch {
        return error
    }
}
