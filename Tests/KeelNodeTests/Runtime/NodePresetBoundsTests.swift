import Foundation
import KeelChain
import KeelCrypto
import Logging
import XCTest

@testable import KeelFormats
@testable import KeelNode

/// Issue 11, item 6: a genesis file that passes validation cannot make a node trap. A preset
/// with every bounded field at its upper bound validates, and a node runs it for several slots.
final class NodePresetBoundsTests: InProcessNodeTestCase {
    func testANodeRunsAPresetAtEveryUpperBound() async throws {
        var preset = Preset.devnet
        for field in Preset.fields {
            if let bound = PresetJSON.upperBounds[field.keyPath] { preset[keyPath: field.keyPath] = bound }
        }
        let genesis = GenesisFile.devnet(
            validatorCount: 4, stake: Stake(32 * preset.stakeUnit), slotMs: 100, preset: preset, genesisTimeMs: 0,
            randaoChainLength: 64, programs: [])
        XCTAssertNoThrow(try genesis.validate(), "a preset at its bounds is valid")
        var config = NodeConfig(genesis: genesis, dataDirectory: directory.appendingPathComponent("data").path)
        config.genesisTimeMs = SlotClock.systemNowMs() + 200
        config.validatorIndices = (0..<4).map { ValidatorIndex(UInt64($0)) }
        var logger = Logger(label: "keel.node")
        logger.logLevel = .error
        let node = try Node(config: config, logger: logger)
        self.node = node
        try await node.start()
        let reached = try await poll { await node.head.slot.rawValue >= 6 }
        let head = await node.head
        XCTAssertTrue(reached, "the chain advances: head slot \(head.slot)")
    }
}
