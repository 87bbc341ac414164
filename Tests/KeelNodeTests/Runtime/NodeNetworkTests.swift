import Foundation
import KeelChain
import Logging
import XCTest

@testable import KeelNode

/// Four in-process nodes, one validator each, on loopback with 250 ms slots: they finalize,
/// agree on the finalized checkpoint, and a restarted node resumes from its stored anchor.
final class RuntimeNodeNetworkTests: XCTestCase {
    private var directory: URL!
    private var nodes: [Node] = []

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-node-net-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() async throws {
        for node in nodes { await node.shutdown() }
        nodes = []
        // nil when the test was skipped before setUp made it.
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private static let slotMs: UInt64 = 250
    private static let finalizedEpochWanted: UInt64 = 2
    private static let timeoutMs: UInt64 = 40_000

    private func makeConfig(_ genesis: GenesisFile, index: Int, genesisTimeMs: UInt64, peers: [Int]) -> NodeConfig {
        var config = NodeConfig(genesis: genesis, dataDirectory: directory.appendingPathComponent("node\(index)").path)
        config.genesisTimeMs = genesisTimeMs
        config.listenPort = 0
        config.peers = peers.map { PeerAddress(host: "127.0.0.1", port: $0) }
        config.validatorIndices = [ValidatorIndex(UInt64(index))]
        config.requestTimeoutMs = 2_000
        return config
    }

    private static func quietLogger() -> Logger {
        var logger = Logger(label: "keel.node")
        logger.logLevel = .warning
        return logger
    }

    func testFourNodesFinalizeAndAgreeThenOneRestartsFromItsAnchor() async throws {
        let genesis = GenesisFile.devnet(
            validatorCount: 4, stake: Stake(32 * Preset.devnet.stakeUnit), slotMs: Self.slotMs, preset: .devnet,
            genesisTimeMs: 0, randaoChainLength: 256, programs: [])
        let genesisTimeMs = SlotClock.systemNowMs() + 300
        var ports: [Int] = []
        for index in 0..<4 {
            let node = try Node(
                config: makeConfig(genesis, index: index, genesisTimeMs: genesisTimeMs, peers: ports), logger: Self.quietLogger())
            nodes.append(node)
            ports.append(try await node.start())
        }
        let deadline = SlotClock.systemNowMs() + Self.timeoutMs
        var finalized: [Checkpoint] = []
        while SlotClock.systemNowMs() < deadline {
            finalized = []
            for node in nodes { finalized.append(await node.finalizedCheckpoint) }
            if finalized.allSatisfy({ $0.epoch.rawValue >= Self.finalizedEpochWanted }) && Set(finalized).count == 1 { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        XCTAssertTrue(
            finalized.allSatisfy { $0.epoch.rawValue >= Self.finalizedEpochWanted }, "finalized epochs: \(finalized.map(\.epoch))")
        XCTAssertEqual(Set(finalized).count, 1, "the nodes agree on the finalized checkpoint: \(finalized)")

        // The API's view of node 0 agrees with the node.
        let view = NodeChainView(node: nodes[0])
        let snapshot = await view.headSnapshot()
        XCTAssertGreaterThanOrEqual(snapshot.finalized.epoch.rawValue, Self.finalizedEpochWanted)
        let headSlot = snapshot.state.latestBlockHeader.slot
        let headRoot = await view.canonicalBlockRoot(slot: headSlot)
        XCTAssertEqual(headRoot, snapshot.headRoot)
        let identity = await view.identity()
        XCTAssertEqual(identity.validatorCount, 1)
        XCTAssertEqual(identity.peerCount, 3)

        // Restart node 3 from its data directory: it resumes at its stored finalized anchor.
        let stopped = nodes.removeLast()
        let stoppedFinalized = await stopped.finalizedCheckpoint
        await stopped.shutdown()
        let restarted = try Node(
            config: makeConfig(genesis, index: 3, genesisTimeMs: genesisTimeMs, peers: ports.dropLast()),
            logger: Self.quietLogger())
        nodes.append(restarted)
        let resumed = await restarted.finalizedCheckpoint
        XCTAssertEqual(resumed.root, stoppedFinalized.root, "the anchor is the last persisted finalized block")
        let resumedHead = await restarted.head
        XCTAssertGreaterThan(resumedHead.slot.rawValue, 0, "stored blocks above the anchor are replayed")
    }
}
