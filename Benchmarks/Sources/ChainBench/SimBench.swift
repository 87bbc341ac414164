import BenchSupport
import KeelChain
import KeelSim

/// Simulator speed: simulated slots per wall-clock second of `Simulator.run()` (set-up, which
/// builds keys and RANDAO chains for every validator, is timed apart).
struct SimBench {
    struct Run {
        var validatorCount: Int
        var nodeCount: Int
        var epochs: UInt64
        var skipSignatures: Bool
        var setupSeconds: Double
        var wallSeconds: Double
        var cpuSeconds: Double
        var blocksImported: Int
        var messagesDelivered: Int
        var finalizedEpoch: UInt64
        var lastParticipation: Double

        /// Slots simulated, counted as `keel sim` counts them: epochs × slots per epoch.
        var slots: UInt64 { epochs * Preset.devnet.slotsPerEpoch }
        var slotsPerSecond: Double { Double(slots) / max(wallSeconds, 1e-9) }
    }

    static func run(validatorCount: Int, epochs: UInt64, skipSignatures: Bool, seed: UInt64 = 1) throws -> Run {
        let config = SimConfig(validatorCount: validatorCount, epochs: epochs, seed: seed, skipSignatures: skipSignatures)
        let setupStart = Clock.wall()
        var simulator = try Simulator(config)
        let setupSeconds = Double(Clock.wall() - setupStart) / 1e9
        let cpuStart = Clock.threadCPU()
        let start = Clock.wall()
        let reports = simulator.run()
        let wallSeconds = Double(Clock.wall() - start) / 1e9
        let cpuSeconds = Double(Clock.threadCPU() - cpuStart) / 1e9
        if let violation = simulator.safetyViolation { throw BenchError("simulator safety violation: \(violation)") }
        return Run(
            validatorCount: validatorCount, nodeCount: config.nodeCount, epochs: epochs, skipSignatures: skipSignatures,
            setupSeconds: setupSeconds, wallSeconds: wallSeconds, cpuSeconds: cpuSeconds,
            blocksImported: simulator.blocksImported, messagesDelivered: simulator.messagesDelivered,
            finalizedEpoch: simulator.finalizedCheckpoint(node: 0).epoch.rawValue,
            lastParticipation: reports.last?.participation ?? 0)
    }
}
