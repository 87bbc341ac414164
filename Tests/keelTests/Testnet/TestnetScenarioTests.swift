import Foundation
import KeelTestSupport
import XCTest

/// Issue 4's multi-process scenarios, each on a fresh `keel testnet` of 4 real `keel node`
/// processes on loopback (one validator each, 250 ms slots, so an epoch is 2 s).
final class TestnetScenarioTests: TestnetTestCase {
    /// `make devnet`'s promise: `keel testnet up` with 4 validators on 4 nodes finalizes within
    /// 4 epochs and says so; `--until-finalized` then stops every node.
    func testUpFinalizesWithinFourEpochsAndStopsTheNodes() throws {
        let outcome = try harness.run(["up"] + Self.fourNodes + ["--until-finalized", "1", "--timeout", "90"])
        XCTAssertEqual(outcome.status, 0, outcome.standardOutput + outcome.standardError)
        let announcement = try XCTUnwrap(
            outcome.standardOutput.split(separator: "\n").first { $0.hasPrefix("first finality:") }, outcome.standardOutput)
        // "first finality: every running node has finalized epoch F by slot S (epoch E)"
        let epoch = try XCTUnwrap(announcement.split(separator: "(epoch ").last.flatMap { UInt64($0.dropLast()) }, String(announcement))
        XCTAssertLessThanOrEqual(epoch, 4, "finality within 4 epochs: \(announcement)")
        XCTAssertTrue(outcome.standardOutput.contains("NODE"), "the status table is shown")
        let status = try harness.status()
        XCTAssertEqual(status.nodes.count, 4)
        XCTAssertTrue(status.nodes.allSatisfy { !$0.running }, "every node stopped: \(Self.describe(status))")
        XCTAssertEqual(status.nodes.map(\.validators), [[0], [1], [2], [3]])
    }

    /// SIGKILL one node: the other three keep finalizing; restarted, it catches up to their
    /// finalized checkpoint. `logs` shows its log; `stop` ends every process.
    func testAKilledNodeIsNotMissedAndCatchesUpAfterRestart() throws {
        try harness.up(Self.fourNodes)
        let all = [0, 1, 2, 3]
        let (started, finalized) = try harness.wait(60) { Self.allFinalized($0, all, atLeast: 1) }
        XCTAssertTrue(finalized, "all four finalize: \(Self.describe(started))")

        let killed = try harness.run(["kill", "3"])
        XCTAssertEqual(killed.status, 0, killed.standardError)
        let before = try harness.status()
        XCTAssertFalse(before.nodes[3].running)
        let survivors = [0, 1, 2]
        let beforeEpoch = survivors.map(before.finalizedEpoch).max() ?? 0
        let (after, kept) = try harness.wait(40) { Self.allFinalized($0, survivors, atLeast: beforeEpoch + 1) }
        XCTAssertTrue(kept, "three of four keep finalizing past epoch \(beforeEpoch): \(Self.describe(after))")

        let restarted = try harness.run(["restart", "3"])
        XCTAssertEqual(restarted.status, 0, restarted.standardError)
        let (caughtUp, agreed) = try harness.wait(40) { status in
            status.nodes[3].running && Self.allFinalized(status, all, atLeast: after.finalizedEpoch(0) + 1)
        }
        XCTAssertTrue(agreed, "the restarted node has the others' finalized checkpoint: \(Self.describe(caughtUp))")

        let logs = try harness.run(["logs", "3", "--lines", "5"])
        XCTAssertEqual(logs.status, 0, logs.standardError)
        XCTAssertEqual(logs.standardOutput.split(separator: "\n").count, 5, logs.standardOutput)

        let stopped = try harness.run(["stop"])
        XCTAssertEqual(stopped.status, 0, stopped.standardError)
        XCTAssertEqual(stopped.standardOutput.components(separatedBy: ": stopped").count - 1, 4, stopped.standardOutput)
        XCTAssertTrue(try harness.status().nodes.allSatisfy { !$0.running })
    }

    /// Stop two of four (half the stake): finality stops, and the two left never finalize
    /// different checkpoints; restart the two and finality resumes on one chain.
    func testFinalityHaltsWithHalfTheStakeAndResumesWhenItReturns() throws {
        try harness.up(Self.fourNodes)
        let all = [0, 1, 2, 3]
        let (started, finalized) = try harness.wait(60) { Self.allFinalized($0, all, atLeast: 1) }
        XCTAssertTrue(finalized, "all four finalize: \(Self.describe(started))")

        let stopped = try harness.run(["stop", "2", "3"])
        XCTAssertEqual(stopped.status, 0, stopped.standardError)
        // Attestations made before the stop may still justify and finalize once: votes of the
        // stop's epoch can be included during the next and are counted at its end, so up to two
        // epoch boundaries later (settling 2 epochs sometimes sampled just before it). After
        // that, 50% of the stake can justify nothing.
        let halves = [0, 1]
        let stalled = try harness.status()
        harness.sleep(epochs: 3, of: stalled)
        let settled = try harness.status()
        harness.sleep(epochs: 3, of: settled)
        let later = try harness.status()
        for node in halves {
            XCTAssertTrue(later.nodes[node].running)
            XCTAssertLessThanOrEqual(settled.finalizedEpoch(node), stalled.finalizedEpoch(node) + 1, Self.describe(settled))
            XCTAssertEqual(later.finalizedEpoch(node), settled.finalizedEpoch(node), "no finality with half the stake: \(Self.describe(later))")
            XCTAssertGreaterThan(later.headSlot(node), settled.headSlot(node), "blocks are still made: \(Self.describe(later))")
        }
        XCTAssertEqual(later.nodes[0].finalized_root, later.nodes[1].finalized_root, "no conflicting finalization")

        for node in ["2", "3"] {
            let restarted = try harness.run(["restart", node])
            XCTAssertEqual(restarted.status, 0, restarted.standardError)
        }
        let (resumed, agreed) = try harness.wait(60) { Self.allFinalized($0, all, atLeast: later.finalizedEpoch(0) + 1) }
        XCTAssertTrue(agreed, "finality resumes on every node: \(Self.describe(resumed))")
    }

    /// `--byzantine 3`: node 3 double-proposes and double-votes; every honest node slashes
    /// validator 3 (its API says so) and keeps finalizing.
    func testAByzantineNodeIsSlashedOnEveryHonestNode() throws {
        try harness.up(Self.fourNodes + ["--byzantine", "3"])
        let honest = [0, 1, 2]
        let status = try harness.status()
        XCTAssertTrue(status.nodes[3].byzantine)
        var slashedOn: Set<Int> = []
        let deadline = Date().addingTimeInterval(60)
        while slashedOn.count < honest.count, Date() < deadline {
            for node in honest where !slashedOn.contains(node) {
                guard let response = LoopbackProbe.http(port: status.nodes[node].api_port, path: "/validators/3"),
                    response.status == 200,
                    let object = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
                else { continue }
                if object["slashed"] as? Bool == true { slashedOn.insert(node) }
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        XCTAssertEqual(slashedOn, Set(honest), "validator 3 is slashed in every honest node's head state")
        let (finalState, finalized) = try harness.wait(40) { Self.allFinalized($0, honest, atLeast: 1) }
        XCTAssertTrue(finalized, "the honest nodes finalize: \(Self.describe(finalState))")
    }

    /// Random bytes, truncated and oversized frames to every peer port, and malformed requests
    /// to every API port: each gets dropped or a 4xx, and every node keeps running and
    /// finalizing.
    func testGarbageOnPeerAndAPIPortsLeavesEveryNodeRunning() throws {
        try harness.up(Self.fourNodes)
        let all = [0, 1, 2, 3]
        let (started, finalized) = try harness.wait(60) { Self.allFinalized($0, all, atLeast: 1) }
        XCTAssertTrue(finalized, "all four finalize: \(Self.describe(started))")

        var random = SplitMix64(seed: 0x6b65656c)
        for node in started.nodes {
            let noise = (0..<4_096).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let peerInputs: [[UInt8]] = [
                noise,
                [0x10, 0x00, 0x00, 0x00, 0x01, 0x00],  // a frame of 16 bytes cut after 2
                [0xff, 0xff, 0xff, 0x7f] + noise.prefix(64),  // a length prefix far over the limit
                [0x05, 0x00, 0x00, 0x00, 0xee, 0x00, 0x00, 0x00, 0x00],  // an unknown protocol version
                [0x01],  // a truncated length prefix
            ]
            for input in peerInputs {
                // The node drops the connection (an empty answer) or answers a hello: either way
                // the socket was accepted and closed without harm.
                XCTAssertNotNil(LoopbackProbe.exchange(port: node.p2p_port, bytes: input, timeoutSeconds: 1), "node \(node.node) accepts connections")
            }
            let api = node.api_port
            XCTAssertEqual(LoopbackProbe.http(port: api, path: "/blocks/not-a-root")?.status, 400)
            XCTAssertEqual(LoopbackProbe.http(port: api, path: "/validators/99999999")?.status, 404)
            XCTAssertEqual(LoopbackProbe.http(port: api, path: "/accounts/zz")?.status, 400)
            XCTAssertEqual(LoopbackProbe.http(port: api, method: "POST", path: "/transactions", body: "{\"transaction\":")?.status, 400)
            XCTAssertEqual(LoopbackProbe.http(port: api, method: "POST", path: "/transactions", body: "{\"transaction\":\"00ff\"}")?.status, 400)
            XCTAssertEqual(LoopbackProbe.http(port: api, path: "/no/such/route")?.status, 404)
            _ = LoopbackProbe.exchange(port: api, bytes: noise, timeoutSeconds: 2)
            _ = LoopbackProbe.exchange(port: api, bytes: Array("GET /chain/head HTTP/1.1\r\nHost: x\r\n".utf8), timeoutSeconds: 1)
        }
        let health = started.nodes.map { LoopbackProbe.http(port: $0.api_port, path: "/health")?.status }
        XCTAssertEqual(health, [200, 200, 200, 200], "every API still answers")
        let (after, kept) = try harness.wait(40) { status in
            status.nodes.allSatisfy(\.running) && Self.allFinalized(status, all, atLeast: started.finalizedEpoch(0) + 1)
        }
        XCTAssertTrue(kept, "every node runs and finalizes on: \(Self.describe(after))")
    }

    /// Ctrl-C in the foreground `up` stops every node (exit 0); `up` again on the directory
    /// resumes the same chain from the nodes' data, and it finalizes further.
    func testCtrlCStopsEveryNodeAndUpResumesTheChain() throws {
        let up = Process()
        up.executableURL = CommandRunner.productsDirectory.appendingPathComponent("keel")
        up.arguments = ["testnet", "up"] + Self.fourNodes + ["--dir", harness.directory.path]
        up.standardOutput = FileHandle.nullDevice
        up.standardError = FileHandle.nullDevice
        up.standardInput = FileHandle.nullDevice
        try up.run()
        defer { if up.isRunning { kill(up.processIdentifier, SIGKILL) } }
        var before: TestnetHarness.Status?
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let status = try? harness.status(), status.nodes.count == 4, Self.allFinalized(status, [0, 1, 2, 3], atLeast: 1) {
                before = status
                break
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let finalized = try XCTUnwrap(before, "the foreground testnet finalizes")
        kill(up.processIdentifier, SIGINT)
        up.waitUntilExit()
        XCTAssertEqual(up.terminationStatus, 0)
        XCTAssertTrue(try harness.status().nodes.allSatisfy { !$0.running }, "Ctrl-C stops every node")

        let refused = try harness.run(["up", "--validators", "5"])
        XCTAssertEqual(refused.status, 2, "a resumed testnet keeps its validators: \(refused.standardError)")
        try harness.up([])
        let (resumed, finalizes) = try harness.wait(60) { Self.allFinalized($0, [0, 1, 2, 3], atLeast: finalized.finalizedEpoch(0) + 1) }
        XCTAssertTrue(finalizes, "the resumed chain finalizes past epoch \(finalized.finalizedEpoch(0)): \(Self.describe(resumed))")
        XCTAssertEqual(resumed.nodes.count, 4)
    }
}
