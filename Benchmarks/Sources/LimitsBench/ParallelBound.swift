import BenchSupport
import CSecp256k1
import Dispatch
import Foundation
import KeelChain
import KeelNode

/// What two cores of this machine give at most: the same libsecp256k1 verify loop run by one
/// thread, then by two threads at once, each on its own CPU with its own copy of the work and no
/// shared state (no chunking, no queue, no result slots). Whatever speed-up this reaches is the
/// ceiling for `ParallelSignatureVerifier`; a gap below 2x here is the machine, not Keel's code.
/// `ParallelSignatureVerifier.verifyAll` runs in the same rounds on the same signatures, so that
/// its speed-up can be set against the ceiling under the same load.
struct ParallelBound: @unchecked Sendable {
    struct Result {
        var cpus: [Int]
        /// Wall nanoseconds of one pass, one thread alone, per CPU.
        var alone: [[Double]]
        /// Wall nanoseconds until both threads finished their pass, each pinned to its own CPU.
        var together: [Double] = []
        /// The same with both threads unpinned (the scheduler may dodge a CPU other processes hold).
        var togetherUnpinned: [Double] = []
        /// Per CPU: thread CPU time / wall time of its pass while both ran (below 1: descheduled).
        var onCPUTogether: [[Double]]
        /// Per CPU: one thread's pass while both ran / its pass alone, wall time.
        var slowdownTogether: [[Double]]
        /// Per CPU: the same in thread CPU time. Near 1: running both did not slow the cores
        /// themselves (no shared physical core, no frequency drop); any wall-time gap is time the
        /// threads spent descheduled.
        var cpuSlowdownTogether: [[Double]] = [[], []]
        /// Steal ticks (the hypervisor ran someone else) per second of the together runs, all CPUs.
        var stealPerSecond = 0.0
        /// Median of the rounds' 2 x fastest alone / together (the faster of pinned and unpinned).
        var speedup = 0.0
        /// Wall nanoseconds of `verifyAll` over the same signatures: default chunks, one per core.
        var verifyAllDefault: [Double] = []
        var verifyAllPerCore: [Double] = []
        /// Medians of the rounds' fastest alone / verifyAll, and of verifyAll's speed-up / the ceiling.
        var verifyAllSpeedup = 0.0
        var verifyAllPerCoreSpeedup = 0.0
        var verifyAllShareOfCeiling = 0.0
    }

    let bench: SchnorrBench
    let sets: [SignatureSet]

    init(bench: SchnorrBench) {
        self.bench = bench
        sets = bench.publicKeys.indices.map {
            SignatureSet(publicKey: bench.publicKeys[$0], signingRoot: bench.messages[$0], signature: bench.signatures[$0])
        }
    }

    /// One verify pass over every signature; wall and thread CPU nanoseconds.
    private func pass() -> (wall: Double, cpu: Double) {
        let wall = Clock.wall()
        let cpu = Clock.threadCPU()
        precondition(bench.directVerify() == bench.count, "valid")
        return (Double(Clock.wall() - wall), Double(Clock.threadCPU() - cpu))
    }

    /// Rounds of: each CPU alone, then all together, order rotating. Call unpinned.
    func measure(runs: Int) -> Result? {
        guard let cpus = Affinity.current(), cpus.count >= 2 else { return nil }
        let pair = Array(cpus.prefix(2))
        var result = Result(cpus: pair, alone: [[], []], onCPUTogether: [[], []], slowdownTogether: [[], []])
        var stealTicks: UInt64 = 0
        var togetherWall = 0.0
        for round in -1..<runs {
            var aloneNow = [0.0, 0.0]
            var aloneCPUNow = [0.0, 0.0]
            var togetherCPUNow = [0.0, 0.0]
            for step in 0..<6 {
                let kind = (step + max(round, 0)) % 6
                if kind == 5 {
                    let start = Clock.wall()
                    DispatchQueue.concurrentPerform(iterations: 2) { _ in _ = pass() }
                    if round >= 0 { result.togetherUnpinned.append(Double(Clock.wall() - start)) }
                    continue
                }
                if kind >= 3 {
                    let start = Clock.wall()
                    let chunkCount = kind == 3 ? ParallelSignatureVerifier.defaultChunkCount : cpus.count
                    precondition(ParallelSignatureVerifier.verifyAll(sets, chunkCount: chunkCount), "valid")
                    let wall = Double(Clock.wall() - start)
                    if round >= 0 {
                        if kind == 3 { result.verifyAllDefault.append(wall) } else { result.verifyAllPerCore.append(wall) }
                    }
                    continue
                }
                if kind < 2 {
                    Affinity.set([pair[kind]])
                    (aloneNow[kind], aloneCPUNow[kind]) = pass()
                    Affinity.set(cpus)
                    continue
                }
                let steal = Self.stealTicks()
                let slots = UnsafeMutableBufferPointer<(wall: Double, cpu: Double)>.allocate(capacity: 2)
                slots.initialize(repeating: (0, 0))
                defer { slots.deallocate() }
                let boxed = Slots(pointer: slots)
                let start = Clock.wall()
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    let allowed = Affinity.current() ?? cpus
                    Affinity.set([pair[index]])
                    boxed.pointer[index] = pass()
                    Affinity.set(allowed)
                }
                let wall = Double(Clock.wall() - start)
                if round >= 0 {
                    result.together.append(wall)
                    togetherWall += wall
                    stealTicks += Self.stealTicks() - steal
                    for index in 0..<2 {
                        result.onCPUTogether[index].append(slots[index].cpu / slots[index].wall)
                        togetherCPUNow[index] = slots[index].cpu
                    }
                    result.slowdownTogether[0].append(slots[0].wall)
                    result.slowdownTogether[1].append(slots[1].wall)
                }
            }
            guard round >= 0 else { continue }
            for index in 0..<2 {
                result.alone[index].append(aloneNow[index])
                let last = result.slowdownTogether[index].count - 1
                result.slowdownTogether[index][last] /= aloneNow[index]
                result.cpuSlowdownTogether[index].append(togetherCPUNow[index] / aloneCPUNow[index])
            }
        }
        let rounds = result.together.indices
        let fastest = rounds.map { min(result.alone[0][$0], result.alone[1][$0]) }
        let together = rounds.map { min(result.together[$0], result.togetherUnpinned[$0]) }
        result.speedup = median(rounds.map { 2 * fastest[$0] / together[$0] })
        result.verifyAllSpeedup = median(rounds.map { fastest[$0] / result.verifyAllDefault[$0] })
        result.verifyAllPerCoreSpeedup = median(rounds.map { fastest[$0] / result.verifyAllPerCore[$0] })
        result.verifyAllShareOfCeiling = median(rounds.map {
            (fastest[$0] / result.verifyAllDefault[$0]) / (2 * fastest[$0] / together[$0])
        })
        result.stealPerSecond = Double(stealTicks) / (togetherWall / 1e9)
        return result
    }

    /// The steal ticks of all CPUs from /proc/stat (the eighth number of the `cpu` line).
    static func stealTicks() -> UInt64 {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return 0 }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        return fields.count >= 8 ? fields[7] : 0
    }
}

/// Two result slots, each written by one worker only and read after `concurrentPerform` returns.
private struct Slots: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<(wall: Double, cpu: Double)>
}
