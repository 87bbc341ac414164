import Foundation
@testable import KeelNode
import XCTest

/// `APIServer.run`: listens on a loopback port and returns when its task is cancelled.
final class APIServerRunTests: XCTestCase {
    func testRunListensAndStopsOnCancellation() async throws {
        let server = APIServer(host: "127.0.0.1", port: 0, view: APIFixture.shared.view, metrics: NodeMetrics())
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run { port in continuation.yield(port) } }
        var iterator = ports.makeAsyncIterator()
        let first = await iterator.next()
        let port = try XCTUnwrap(first)
        XCTAssertGreaterThan(port, 0)
        task.cancel()
        let stopped = Date()
        _ = try? await task.value
        XCTAssertLessThan(Date().timeIntervalSince(stopped), 5, "the server stops promptly on cancellation")
    }
}
