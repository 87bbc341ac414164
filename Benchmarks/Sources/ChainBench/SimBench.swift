import BenchSupport
import Foundation
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
        /// The largest resident set size seen at the end of each simulated epoch, in MB (VmRSS
        /// of /proc/self/status: the process's getrusage high-water mark would include the
        /// sections that ran before).
        var peakResidentMB: Int

        /// Slots simulated, counted as `keel sim` counts them: epochs × slots per epoch.
        var slots: UInt64 { epochs * Preset.devnet.slotsPerEpoch }
        var slotsPerSecond: Double { Double(slots) / max(wallSeconds, 1e-9) }
    }

    /// The process's resident set size now, in MB (`VmRSS` in /proc/self/status, in kB).
    static func residentMB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes / 1024
    }

    static func run(validatorCount: Int, epochs: UInt64, skipSignatures: Bool, seed: UInt64 = 1) throws -> Run {
        let config = SimConfig(validatorCount: validatorCount, epochs: epochs, seed: seed, skipSignatures: skipSignatures)
        let setupStart = Clock.wall()
        var simulator = try Simulator(config)
        let setupSeconds = Double(Clock.wall() - setupStart) / 1e9
        let cpuStart = Clock.threadCPU()
        let start = Clock.wall()
        var peakResidentMB = residentMB()
        let reports = simulator.run { _ in peakResidentMB = max(peakResidentMB, residentMB()) }
        let wallSeconds = Double(Clock.wall() - start) / 1e9
        let cpuSeconds = Double(Clock.threadCPU() - cpuStart) / 1e9
        if let violation = simulator.safetyViolation { throw BenchError("simulator safety violation: \(violation)") }
        return Run(
            validatorCount: validatorCount, nodeCount: config.nodeCount, epochs: epochs, skipSignatures: skipSignatures,
            setupSeconds: setupSeconds, wallSeconds: wallSeconds, cpuSeconds: cpuSeconds,
            blocksImported: simulator.blocksImported, messagesDelivered: simulator.messagesDelivered,
            finalizedEpoch: simulator.finalizedCheckpoint(node: 0).epoch.rawValue,
            lastParticipation: reports.last?.participation ?? 0, peakResidentMB: peakResidentMB)
    }
}
