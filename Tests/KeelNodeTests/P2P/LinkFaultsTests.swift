import Foundation
@testable import KeelNode
import XCTest

/// The testnet fault layer's decisions: partitions cut exactly the links between groups, loss
/// drops about its share, latency delays within its jitter and keeps each link's order, faults
/// end at their time, the same seed repeats the same choices, and bad tables are refused.
final class LinkFaultsTests: XCTestCase {
    private static let ports = [47100, 47102, 47104, 47106]

    private func table(_ edit: (inout FaultTable) -> Void) -> FaultTable {
        var table = FaultTable(seed: 42, ports: Self.ports)
        edit(&table)
        return table
    }

    func testAPartitionCutsExactlyTheLinksBetweenGroups() {
        let split = table { $0.partition = FaultTable.Partition(groups: [[0, 1], [2]]) }
        for from in 0..<4 {
            let faults = LinkFaults(node: from, table: split)
            for to in 0..<4 where to != from {
                let expected: FaultDecision = (from < 2 && to < 2) ? .pass : .drop
                XCTAssertEqual(faults.decide(to: to, nowMs: 1_000), expected, "\(from) → \(to)")
            }
        }
        XCTAssertEqual(LinkFaults(node: 0, table: FaultTable(seed: 42, ports: Self.ports)).decide(to: 3, nowMs: 0), .pass, "no faults")
    }

    func testLossDropsAboutItsShareAndTheSameSeedRepeats() {
        let lossy = table { $0.loss = [FaultTable.Loss(node: 1, p: 0.1)] }
        func decisions(_ from: Int, _ to: Int) -> [FaultDecision] {
            let faults = LinkFaults(node: from, table: lossy)
            return (0..<10_000).map { _ in faults.decide(to: to, nowMs: 5) }
        }
        let dropped = decisions(0, 1).filter { $0 == .drop }.count
        XCTAssertTrue((800...1_200).contains(dropped), "about 10% of 10,000: \(dropped)")
        XCTAssertEqual(decisions(0, 1), decisions(0, 1), "a link's choices repeat with its seed")
        XCTAssertNotEqual(decisions(0, 1), decisions(2, 1), "each link draws its own")
        XCTAssertFalse(decisions(0, 2).contains(.drop), "a link without the lossy node loses nothing")
    }

    func testLatencyDelaysWithinItsJitterAndKeepsTheLinksOrder() throws {
        let slow = table { $0.latency = [FaultTable.Latency(node: 2, ms: 100, jitterMs: 20)] }
        let faults = LinkFaults(node: 2, table: slow)
        var lastDue: UInt64 = 0
        for step in 0..<1_000 {
            let now = UInt64(step)
            guard case let .delay(milliseconds) = faults.decide(to: 0, nowMs: now) else { return XCTFail("delayed") }
            XCTAssertLessThanOrEqual(milliseconds, 120 + 1_000)
            XCTAssertGreaterThanOrEqual(now + milliseconds, lastDue, "never before an earlier message on the link")
            lastDue = now + milliseconds
        }
        let fresh = LinkFaults(node: 2, table: slow)
        guard case let .delay(first) = fresh.decide(to: 1, nowMs: 0) else { return XCTFail("delayed") }
        XCTAssertTrue((80...120).contains(first), "\(first)")
        let both = table {
            $0.latency = [FaultTable.Latency(node: 0, ms: 30, jitterMs: 0), FaultTable.Latency(node: 1, ms: 50, jitterMs: 0)]
        }
        XCTAssertEqual(LinkFaults(node: 0, table: both).decide(to: 1, nowMs: 0), .delay(milliseconds: 80), "both ends' latency adds up")
    }

    func testFaultsEndAtTheirTime() {
        let timed = table {
            $0.partition = FaultTable.Partition(groups: [[0], [1, 2, 3]], untilMs: 1_000)
            $0.loss = [FaultTable.Loss(node: 0, p: 1, untilMs: 2_000)]
        }
        let faults = LinkFaults(node: 0, table: timed)
        XCTAssertEqual(faults.decide(to: 1, nowMs: 999), .drop)
        XCTAssertEqual(faults.decide(to: 1, nowMs: 1_500), .drop, "the loss lasts longer")
        XCTAssertEqual(faults.decide(to: 1, nowMs: 2_000), .pass)
        XCTAssertTrue(timed.active(atMs: 2_000).isEmpty)
    }

    func testTheTableFileRoundTripsAndBadTablesAreRefused() throws {
        let directory = try TemporaryDirectory("keel-faults")
        let path = directory.path("faults.json")
        let good = table {
            $0.partition = FaultTable.Partition(groups: [[0, 1], [2, 3]], untilMs: 9)
            $0.latency = [FaultTable.Latency(node: 1, ms: 5, jitterMs: 1)]
        }
        try good.write(path: path)
        XCTAssertEqual(try FaultTable.load(path: path), good)
        let bad: [FaultTable] = [
            table { $0.partition = FaultTable.Partition(groups: [[0, 1], [1, 2]]) },
            table { $0.partition = FaultTable.Partition(groups: [[0, 1]]) },
            table { $0.partition = FaultTable.Partition(groups: [[0], [7]]) },
            table { $0.loss = [FaultTable.Loss(node: 0, p: 1.5)] },
            table { $0.latency = [FaultTable.Latency(node: 4, ms: 1, jitterMs: 0)] },
            table { $0.version = 2 },
        ]
        for table in bad {
            try table.write(path: path)
            XCTAssertThrowsError(try FaultTable.load(path: path), "\(table)")
        }
        try Data("{".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try FaultTable.load(path: path))
    }
}

extension LinkFaultsTests {
    func testALinkKeepsItsOrderWhenItsFaultEnds() {
        let slow = FaultTable(seed: 1, ports: [47100, 47102]).with { $0.latency = [FaultTable.Latency(node: 0, ms: 100, jitterMs: 0)] }
        let faults = LinkFaults(node: 0, table: slow)
        XCTAssertEqual(faults.decide(to: 1, nowMs: 0), .delay(milliseconds: 100))
        faults.update(FaultTable(seed: 1, ports: [47100, 47102]))
        XCTAssertEqual(faults.decide(to: 1, nowMs: 10), .delay(milliseconds: 90), "healed, but not before the held message")
        XCTAssertEqual(faults.decide(to: 1, nowMs: 100), .pass)
    }
}

private extension FaultTable {
    func with(_ edit: (inout FaultTable) -> Void) -> FaultTable {
        var copy = self
        edit(&copy)
        return copy
    }
}
