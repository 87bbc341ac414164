import KeelChain
import KeelSim
import KeelTestSupport
import XCTest

/// The scenarios of issue 3, each from the seeded simulator.
final class SimulatorScenarioTests: XCTestCase {
    func testFullParticipationFinalizesByEpochFourAndKeepsPace() throws {
        var simulator = try Simulator(SimConfig(validatorCount: 16, epochs: 7, seed: 1))
        let reports = simulator.run()
        XCTAssertNil(simulator.safetyViolation)
        XCTAssertEqual(reports.map(\.epoch), Array(0..<7))
        // Report `e` is taken one slot into epoch e + 1: there, finalized = current - 2.
        for report in reports where report.epoch >= 3 {
            XCTAssertEqual(report.finalizedEpoch, report.epoch - 1, "epoch \(report.epoch)")
            XCTAssertEqual(report.justifiedEpoch, report.epoch, "epoch \(report.epoch)")
        }
        for report in reports where report.epoch >= 1 { XCTAssertEqual(report.participation, 1.0, accuracy: 1e-9) }
    }

    func testSameSeedReplaysExactly() throws {
        let config = SimConfig(validatorCount: 12, nodeCount: 4, epochs: 4, seed: 99, latencyMs: 400, lossProbability: 0.2)
        var first = try Simulator(config)
        var second = try Simulator(config)
        XCTAssertEqual(first.run(), second.run())
        XCTAssertEqual(first.messagesDelivered, second.messagesDelivered)
        XCTAssertEqual(first.headState(node: 3).latestBlockHeader, second.headState(node: 3).latestBlockHeader)
    }

    func testEquivocatorsAreSlashedWithinTwoEpochsOnEveryView() throws {
        let config = SimConfig(validatorCount: 16, epochs: 2, seed: 5, equivocatorCount: 2)
        var simulator = try Simulator(config)
        simulator.run()
        XCTAssertNil(simulator.safetyViolation)
        let equivocators = [14, 15]
        for validator in equivocators {
            let offence = try XCTUnwrap(simulator.offenceEpochs[validator], "validator \(validator) never equivocated")
            XCTAssertEqual(offence, 0)
        }
        // The run ends one slot into epoch 2 = offence + 2.
        for node in 0..<config.nodeCount {
            let state = simulator.headState(node: node)
            for validator in equivocators {
                XCTAssertTrue(state.validators[validator].slashed, "validator \(validator) not slashed on node \(node)")
            }
            XCTAssertEqual(state.validators.filter(\.slashed).count, equivocators.count, "only equivocators are slashed")
        }
    }

    func testPartitionFinalizesNothingThenConvergesAfterHealing() throws {
        let config = SimConfig(validatorCount: 16, nodeCount: 8, epochs: 10, seed: 3, partitionEpochs: EpochRange(from: 1, to: 5))
        var simulator = try Simulator(config)
        let reports = simulator.run()
        XCTAssertNil(simulator.safetyViolation)
        // Each half holds 50% of the stake: nothing new is justified while split.
        for report in reports where report.epoch >= 2 && report.epoch < 5 {
            XCTAssertLessThanOrEqual(report.finalizedEpoch, 1, "epoch \(report.epoch)")
        }
        for node in 0..<config.nodeCount {
            XCTAssertLessThanOrEqual(simulator.headState(node: node).finalizedCheckpoint.epoch.rawValue, 9)
        }
        // After healing the halves agree again and finality resumes.
        let last = try XCTUnwrap(reports.last)
        XCTAssertGreaterThanOrEqual(last.finalizedEpoch, 7)
        let finalized = Set((0..<config.nodeCount).map { simulator.finalizedCheckpoint(node: $0) })
        XCTAssertEqual(finalized.count, 1, "all nodes share one finalized checkpoint")
        let heads = Set((0..<config.nodeCount).map { simulator.headState(node: $0).latestBlockHeader })
        XCTAssertEqual(heads.count, 1, "all nodes share one head")
    }

    func testMoreThanAThirdOfflineStopsFinalityUntilTheLeakDrainsThem() throws {
        // 6 of 16 validators (37.5%) go offline for good from epoch 2.
        let config = SimConfig(
            validatorCount: 16, epochs: 40, seed: 7, offlineFraction: 6.0 / 16.0, offlineEpochs: EpochRange(from: 2, to: 1_000),
            skipSignatures: true)
        var simulator = try Simulator(config)
        let reports = simulator.run()
        XCTAssertNil(simulator.safetyViolation)
        let stalled = reports.filter { $0.epoch >= 3 && $0.epoch < 10 }
        XCTAssertFalse(stalled.isEmpty)
        for report in stalled { XCTAssertLessThanOrEqual(report.finalizedEpoch, 1, "epoch \(report.epoch)") }
        let state = simulator.headState(node: 0)
        for validator in 0..<6 {
            XCTAssertLessThan(state.validators[validator].balance, state.validators[15].balance, "offline \(validator) drained")
        }
        let last = try XCTUnwrap(reports.last)
        XCTAssertGreaterThan(last.finalizedEpoch, 10, "finality returned once the leak shrank the offline stake")
    }

    /// At least 1,000 seeded runs with random faults and under 1/3 byzantine stake: no two
    /// conflicting checkpoints are ever finalized.
    func testRandomFaultRunsNeverFinalizeConflictingCheckpoints() throws {
        var random = SplitMix64(seed: 0x5AFE)
        for run in 0..<1_000 {
            let validators = Int.random(in: 4...10, using: &random)
            let nodes = Int.random(in: 2...min(4, validators), using: &random)
            let epochs = UInt64.random(in: 3...5, using: &random)
            let partitionStart = UInt64.random(in: 0...3, using: &random)
            let config = SimConfig(
                validatorCount: validators, nodeCount: nodes, epochs: epochs, seed: random.next(),
                offlineFraction: Double.random(in: 0...0.5, using: &random),
                offlineEpochs: Bool.random(using: &random) ? EpochRange(from: 1, to: 3) : nil,
                partitionEpochs: Bool.random(using: &random) ? EpochRange(from: partitionStart, to: partitionStart + 2) : nil,
                equivocatorCount: Int.random(in: 0...((validators - 1) / 3), using: &random),
                latencyMs: UInt64.random(in: 0...600, using: &random), lossProbability: Double.random(in: 0...0.3, using: &random),
                skipSignatures: true)
            var simulator = try Simulator(config)
            simulator.run()
            XCTAssertNil(simulator.safetyViolation, "run \(run): \(config)")
        }
    }
}
