import Foundation
import XCTest

/// A test that runs its own `keel testnet` (a fresh directory per test method), torn down after
/// each with the nodes' logs printed when it failed; with the checks the testnet tests share.
class TestnetTestCase: XCTestCase {
    var harness: TestnetHarness!

    /// Four validators on four nodes, 250 ms slots: an epoch is 2 s.
    static let fourNodes = ["--validators", "4", "--nodes", "4", "--slot-ms", "250"]

    override func setUpWithError() throws {
        harness = try TestnetHarness(name: name.filter(\.isLetter))
    }

    override func tearDown() {
        harness?.close(printingLogsIf: (testRun?.failureCount ?? 0) > 0)
        harness = nil
    }

    /// Every node in `nodes` finalized at least `epoch`, and all on one root.
    static func allFinalized(_ status: TestnetHarness.Status, _ nodes: [Int], atLeast epoch: UInt64) -> Bool {
        let finalized = nodes.map { status.nodes[$0] }
        return finalized.allSatisfy { ($0.finalized_epoch ?? 0) >= epoch }
            && Set(finalized.map { "\($0.finalized_epoch ?? 0)/\($0.finalized_root ?? "")" }).count == 1
    }

    /// One line per node, for failure messages.
    static func describe(_ status: TestnetHarness.Status) -> String {
        status.nodes.map {
            "node \($0.node): \($0.running ? "up" : "down") head \($0.head_slot ?? 0) fin \($0.finalized_epoch ?? 0)/\(($0.finalized_root ?? "").prefix(8))"
        }.joined(separator: "; ")
    }
}
