import BenchSupport
import CSecp256k1
import Dispatch
import Foundation

/// What two cores of this machine give at most: the same libsecp256k1 verify loop run by one
/// thread, then by two threads at once, each on its own CPU with its own copy of the work and no
/// shared state (no chunking, no queue, no result slots). Whatever speed-up this reaches is the
/// ceiling for `ParallelSignatureVerifier`; a gap below 2x here is the machine, not Keel's code.
struct ParallelBound: @unchecked Sendable {
    struct Result {
        var cpus: [Int]
        /// Wall nanoseconds of one pass, one thread alone, per CPU.
        var alone: [[Double]]
        /// Wall nanoseconds until both threads finished their pass.
        var together: [Double] = []
        /// Per CPU: thread CPU time / wall time of its pass while both ran (below 1: descheduled).
        var onCPUTogether: [[Double]]
        /// Per CPU: one thread's pass while both ran / its pass alone (above 1: the core slowed).
        var slowdownTogether: [[Double]]
        /// Steal ticks (the hypervisor ran someone else) per second of the together runs, all CPUs.
        var stealPerSecond = 0.0
        /// Median of the rounds' 2 x fastest alone / together.
        var speedup = 0.0
    }

    let bench: SchnorrBench

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
            for step in 0..<3 {
                let kind = (step + max(round, 0)) % 3
                if kind < 2 {
                    Affinity.set([pair[kind]])
                    aloneNow[kind] = pass().wall
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
                    for index in 0..<2 { result.onCPUTogether[index].append(slots[index].cpu / slots[index].wall) }
                    result.slowdownTogether[0].append(slots[0].wall)
                    result.slowdownTogether[1].append(slots[1].wall)
                }
            }
            guard round >= 0 else { continue }
            for index in 0..<2 {
                result.alone[index].append(aloneNow[index])
                let last = result.slowdownTogether[index].count - 1
                result.slowdownTogether[index][last] /= aloneNow[index]
            }
        }
        let rounds = result.together.indices
        result.speedup = median(rounds.map { 2 * min(result.alone[0][$0], result.alone[1][$0]) / result.together[$0] })
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
