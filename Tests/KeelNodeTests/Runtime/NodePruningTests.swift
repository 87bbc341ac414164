import Foundation
import KeelChain
import KeelCrypto
import Logging
import XCTest

@testable import KeelNode

/// Bounded storage (issue 11): each time finality moves, the chain database drops blocks and
/// states more than `finalizedHistoryEpochs` below the finalized checkpoint, keeps everything
/// above, and a restart resumes from the anchor.
final class NodePruningTests: InProcessNodeTestCase {
    private static let slotMs: UInt64 = 150

    private func config(genesisTimeMs: UInt64) -> NodeConfig {
        let genesis = GenesisFile.devnet(
            validatorCount: 4, stake: Stake(32 * Preset.devnet.stakeUnit), slotMs: Self.slotMs, preset: .devnet,
            genesisTimeMs: 0, randaoChainLength: 256, programs: [])
        var config = NodeConfig(genesis: genesis, dataDirectory: directory.appendingPathComponent("data").path)
        config.genesisTimeMs = genesisTimeMs
        config.validatorIndices = (0..<4).map { ValidatorIndex(UInt64($0)) }
        config.finalizedHistoryEpochs = 1
        return config
    }

    private func quietLogger() -> Logger {
        var logger = Logger(label: "keel.node")
        logger.logLevel = .error
        return logger
    }

    func testBlocksBelowTheKeptHistoryArePrunedAndARestartResumes() async throws {
        let config = config(genesisTimeMs: SlotClock.systemNowMs() + 200)
        let node = try Node(config: config, logger: quietLogger())
        self.node = node
        try await node.start()
        let finalizedWanted: UInt64 = 4
        let reached = try await poll { await node.finalizedCheckpoint.epoch.rawValue >= finalizedWanted }
        let finalized = await node.finalizedCheckpoint
        XCTAssertTrue(reached, "finalized epoch \(finalized.epoch) reaches \(finalizedWanted)")
        guard reached else { return }
        let slotsPerEpoch = config.genesis.config.preset.slotsPerEpoch
        let keptSlot = (finalized.epoch.rawValue - 1) * slotsPerEpoch
        let head = await node.head
        await node.shutdown()
        self.node = nil

        let database = try ChainDatabase.open(
            path: directory.appendingPathComponent("data/\(ChainDatabase.fileName)").path, genesisRoot: config.genesis.genesisRoot)
        let below = try database.blocks(fromSlot: Slot(1), toSlot: Slot(keptSlot - 1))
        XCTAssertTrue(below.allSatisfy { $0.message.hashTreeRoot == finalized.root }, "only the anchor below slot \(keptSlot): \(below.map(\.message.slot))")
        let kept = try database.blocks(fromSlot: Slot(keptSlot), toSlot: head.slot)
        XCTAssertFalse(kept.isEmpty, "the kept history and everything above it stay")
        XCTAssertNotNil(try database.block(root: head.root), "the head block is kept")
        XCTAssertEqual(try database.anchor()?.blockRoot, finalized.root)
        database.close()

        // A restart resumes from the anchor and replays what is above it.
        let restarted = try Node(config: config, logger: quietLogger())
        self.node = restarted
        let resumedFinalized = await restarted.finalizedCheckpoint
        XCTAssertGreaterThanOrEqual(resumedFinalized.epoch, finalized.epoch)
        let resumedHead = await restarted.head
        XCTAssertGreaterThanOrEqual(resumedHead.slot, head.slot, "the blocks above the anchor were replayed")
    }
}
