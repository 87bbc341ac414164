import Foundation
import XCTest

@testable import KeelNode

/// The scaffolding of tests that run a `Node` in this process: a fresh temporary directory per
/// test, the node shut down and the directory removed afterwards, and polling with a deadline.
class InProcessNodeTestCase: XCTestCase {
    var directory: URL!
    /// Set by the test to the node it started, so that tear-down stops it.
    var node: Node?

    /// Generous: a debug build on a loaded two-core machine; polls end as soon as they hold.
    static let pollTimeoutMs: UInt64 = 30_000

    override func setUpWithError() throws {
        let name = String(describing: type(of: self))
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        await node?.shutdown()
        node = nil
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    /// Polls every `intervalMs` until `condition` holds or ``pollTimeoutMs`` pass; returns
    /// whether it held.
    func poll(everyMs intervalMs: UInt64 = 50, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = SlotClock.systemNowMs() + Self.pollTimeoutMs
        while SlotClock.systemNowMs() < deadline {
            if try await condition() { return true }
            try await Task.sleep(nanoseconds: intervalMs * 1_000_000)
        }
        return try await condition()
    }
}
