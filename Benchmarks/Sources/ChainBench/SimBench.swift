import BenchSupport
import Foundation
import KeelChain
import KeelCrypto
import KeelNode
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
        /// BIP-340 verifications the run made (KeelCrypto's `SignatureCheckCount`).
        var signatureChecks: UInt64

        /// The run's verifications per wall-clock second.
        var checksPerSecond: Double { Double(signatureChecks) / max(wallSeconds, 1e-9) }

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
        let checksBefore = SignatureCheckCount.total
        let reports = simulator.run { _ in peakResidentMB = max(peakResidentMB, residentMB()) }
        let wallSeconds = Double(Clock.wall() - start) / 1e9
        let signatureChecks = SignatureCheckCount.total - checksBefore
        let cpuSeconds = Double(Clock.threadCPU() - cpuStart) / 1e9
        if let violation = simulator.safetyViolation { throw BenchError("simulator safety violation: \(violation)") }
        return Run(
            validatorCount: validatorCount, nodeCount: config.nodeCount, epochs: epochs, skipSignatures: skipSignatures,
            setupSeconds: setupSeconds, wallSeconds: wallSeconds, cpuSeconds: cpuSeconds,
            blocksImported: simulator.blocksImported, messagesDelivered: simulator.messagesDelivered,
            finalizedEpoch: simulator.finalizedCheckpoint(node: 0).epoch.rawValue,
            lastParticipation: reports.last?.participation ?? 0, peakResidentMB: peakResidentMB,
            signatureChecks: signatureChecks)
    }

    /// libsecp256k1's verification rate on all cores, in checks per wall-clock second: `count`
    /// valid signatures (of distinct keys and messages) checked by `ParallelSignatureVerifier`
    /// with one chunk per core, best of `runs`. The ceiling for a simulator that verifies every
    /// signature it is sent.
    static func allCoresCheckRate(count: Int = 4_096, runs: Int = 5) -> Double {
        let sets = (0..<count).map { index -> SignatureSet in
            let key = DevnetKeys.secretKey(validatorIndex: UInt64(index))
            let root = SHA256.hash(withUnsafeBytes(of: UInt64(index).littleEndian, Array.init))
            return SignatureSet(publicKey: key.publicKey, signingRoot: root, signature: key.sign(root))
        }
        var best = UInt64.max
        for _ in 0..<runs {
            let start = Clock.wall()
            precondition(ParallelSignatureVerifier.verifyAll(sets, chunkCount: ProcessInfoCores.activeProcessorCount), "valid sets")
            best = min(best, Clock.wall() - start)
        }
        return Double(count) / (Double(best) / 1e9)
    }
}
