import ArgumentParser
import Dispatch
import Foundation
import KeelSim
import Synchronization

extension Keel {
    /// `keel sim soak`: many seeded random runs with mixed faults, each checked for safety, the
    /// trust boundary and liveness after the faults heal.
    struct SimSoak: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "soak",
            abstract: "Run many seeded random simulations with mixed faults and check each one.",
            discussion: """
                Each run mixes offline validators, a partition, message loss and latency, \
                equivocators (under a third of the stake) and, in one run of five, real \
                signatures with a forger node. A run fails on conflicting finality, a forged \
                message relayed or imported, or finality not resuming within \(SoakCase.livenessEpochsMax) \
                epochs of the faults healing. Prints progress, the count, and each failure with \
                the `keel sim` line that replays it; exits 1 if any run failed.
                """)

        @Option(help: "Number of runs.")
        var runs: UInt64 = 10_000

        @Option(help: "Seed of the soak: run i draws its faults from (seed, i).")
        var seed: UInt64 = 1

        @Option(help: "Runs in parallel (default: the number of cores).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            guard runs >= 1 && runs <= 1_000_000 else { throw ValidationError("--runs must be 1...1000000") }
            guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be 1...256") }
        }

        func run() throws {
            let started = Date()
            let progress = Mutex((done: UInt64(0), failures: [(UInt64, SoakCase, [String])]()))
            let total = runs
            let soakSeed = seed
            let chunks = jobs
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var index = UInt64(chunk)
                while index < total {
                    let soakCase = SoakCase.make(index: index, seed: soakSeed)
                    let problems = (try? soakCase.run()) ?? ["the simulator could not start"]
                    progress.withLock { state in
                        state.done += 1
                        if !problems.isEmpty { state.failures.append((index, soakCase, problems)) }
                        if state.done % 500 == 0 || state.done == total {
                            let seconds = Date().timeIntervalSince(started)
                            FileHandle.standardError.write(Data(
                                "soak: \(state.done)/\(total) runs, \(state.failures.count) failed, \(Int(seconds)) s\n".utf8))
                        }
                    }
                    index += UInt64(chunks)
                }
            }
            let (done, failures) = progress.withLock { ($0.done, $0.failures.sorted { $0.0 < $1.0 }) }
            for (index, soakCase, problems) in failures {
                print("FAILED run \(index): \(problems.joined(separator: "; "))")
                print("  reproduce with: \(soakCase.reproduceLine)")
            }
            print("soak: seed \(seed): \(done) runs, \(failures.count) failed, \(Int(Date().timeIntervalSince(started))) s")
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }
}
