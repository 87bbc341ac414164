import Foundation
@testable import KeelNode
import XCTest

/// `APIServer.run` on an address already in use throws promptly rather than serving nothing.
final class APIServerBindTests: XCTestCase {
    func testAnAddressInUseThrows() async throws {
        let first = APIServer(host: "127.0.0.1", port: 0, view: APIFixture.shared.view, metrics: NodeMetrics())
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let running = Task { try await first.run { port in continuation.yield(port) } }
        defer { running.cancel() }
        var iterator = ports.makeAsyncIterator()
        let bound = await iterator.next()
        let port = try XCTUnwrap(bound)
        let second = APIServer(host: "127.0.0.1", port: port, view: APIFixture.shared.view, metrics: NodeMetrics())
        let started = Date()
        let outcome = await Task { () -> (any Error)? in
            do {
                try await second.run { _ in XCTFail("a second server on one port never runs") }
                return nil
            } catch {
                return error
            }
        }.value
        XCTAssertNotNil(outcome, "binding a port in use throws")
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }
}
