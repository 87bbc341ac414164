import Foundation
import KeelTestSupport
import XCTest

/// Live fault injection on a 4-node testnet (250 ms slots, 2 s epochs) through each node's fault
/// layer: a 2/2 partition stops finality without conflicting finalization and healing brings it
/// back on one chain; latency below a slot and 10% loss keep finality; a node paused for two
/// epochs catches up after `resume`.
final class FaultInjectionTests: TestnetTestCase {
    private func fault(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let outcome = try harness.run(["fault"] + arguments)
        XCTAssertEqual(outcome.status, 0, outcome.standardError, file: file, line: line)
    }

    private let all = [0, 1, 2, 3]

    func testAPartitionStopsFinalityWithoutConflictAndHealingBringsItBack() throws {
        try harness.up(Self.fourNodes)
        let (started, finalized) = try harness.wait(60) { Self.allFinalized($0, self.all, atLeast: 1) }
        XCTAssertTrue(finalized, Self.describe(started))
        try fault(["partition", "0,1/2,3"])
        let atSplit = try harness.status()
        let splitEpoch = all.map(atSplit.finalizedEpoch).max() ?? 0
        harness.sleep(epochs: 4, of: atSplit)
        let during = try harness.status()
        // A checkpoint already voted for may still finalize on one side; nothing after it can,
        // with half the stake on each side.
        XCTAssertLessThanOrEqual(all.map(during.finalizedEpoch).max() ?? 0, splitEpoch + 2, "finality stalls: \(Self.describe(during))")
        var rootsByEpoch: [UInt64: Set<String>] = [:]
        for node in during.nodes { rootsByEpoch[node.finalized_epoch ?? 0, default: []].insert(node.finalized_root ?? "") }
        XCTAssertTrue(rootsByEpoch.values.allSatisfy { $0.count == 1 }, "no conflicting finalization: \(Self.describe(during))")
        XCTAssertTrue(during.nodes.allSatisfy(\.running))

        try fault(["heal"])
        let target = (all.map(during.finalizedEpoch).max() ?? 0) + 2
        let (healed, back) = try harness.wait(60) { Self.allFinalized($0, self.all, atLeast: target) }
        XCTAssertTrue(back, "finality returns on one chain after heal: \(Self.describe(healed))")
        let list = try harness.run(["fault", "list"])
        XCTAssertEqual(list.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines), "no faults")
    }

    func testLatencyBelowASlotAndTenPercentLossKeepFinality() throws {
        try harness.up(Self.fourNodes)
        let (started, finalized) = try harness.wait(60) { Self.allFinalized($0, self.all, atLeast: 1) }
        XCTAssertTrue(finalized, Self.describe(started))
        try fault(["latency", "3", "--ms", "80", "--jitter", "20"])
        try fault(["loss", "2", "--p", "0.1"])
        let list = try harness.run(["fault", "list"])
        XCTAssertTrue(list.standardOutput.contains("latency node 3: 80 ms ± 20 ms"), list.standardOutput)
        XCTAssertTrue(list.standardOutput.contains("loss node 2: p = 0.1"), list.standardOutput)
        let from = all.map(started.finalizedEpoch).max() ?? 0
        let (after, kept) = try harness.wait(60) { Self.allFinalized($0, self.all, atLeast: from + 3) }
        XCTAssertTrue(kept, "finality goes on under latency and loss: \(Self.describe(after))")
        let logged = try String(contentsOf: harness.directory.appendingPathComponent("node0/node.log"), encoding: .utf8)
        XCTAssertTrue(logged.contains("fault table changed"), "the node logs the new table")
    }

    func testAPausedNodeCatchesUpAfterResume() throws {
        try harness.up(Self.fourNodes)
        let (started, finalized) = try harness.wait(60) { Self.allFinalized($0, self.all, atLeast: 1) }
        XCTAssertTrue(finalized, Self.describe(started))
        let paused = try harness.run(["pause", "3"])
        XCTAssertEqual(paused.status, 0, paused.standardError)
        let frozen = try harness.status()
        XCTAssertTrue(frozen.nodes[3].paused ?? false)
        // Paused for at least two epochs, while the other three (3/4 of the stake) finalize on.
        harness.sleep(epochs: 2, of: frozen)
        let others = [0, 1, 2]
        let (during, kept) = try harness.wait(30) { Self.allFinalized($0, others, atLeast: frozen.finalizedEpoch(0) + 1) }
        XCTAssertTrue(kept, "three of four keep finalizing: \(Self.describe(during))")
        XCTAssertEqual(during.headSlot(3), frozen.headSlot(3), "a paused node does nothing")

        let resumed = try harness.run(["resume", "3"])
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        let target = all.map(during.finalizedEpoch).max() ?? 0
        let (after, caughtUp) = try harness.wait(40) { status in
            Self.allFinalized(status, self.all, atLeast: target) && status.headSlot(3) + 2 >= status.headSlot(0)
        }
        XCTAssertTrue(caughtUp, "the resumed node catches up: \(Self.describe(after))")
        XCTAssertFalse(try harness.status().nodes[3].paused ?? true)
    }
}
