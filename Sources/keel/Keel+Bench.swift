import ArgumentParser
import Foundation
import KeelCrypto
import KeelProof

extension Keel {
    /// `keel bench`: research benchmarks whose results go to Benchmarks/results.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Research benchmarks (tables and plots into Benchmarks/results).",
            subcommands: [ReexecVsProof.self, Stark.self])
    }
}

extension Keel.Bench {
    /// `keel bench reexec-vs-proof`: the cost of checking a block's state root by re-execution
    /// (with and without local state) and by a proof, as the block's VM work grows.
    struct ReexecVsProof: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reexec-vs-proof",
            abstract: "Time full and stateless re-execution against proof checking (and proving) as VM work grows.",
            discussion: """
                For each step count, builds a block whose one call runs Fibonacci for that many \
                VM steps, on a devnet genesis with --validators validators and --accounts \
                bystander accounts, and times, as medians over --runs runs: full re-execution \
                with local state, stateless re-execution from the block witness, proof \
                verification, and proving; it records witness, proof and block sizes. Writes \
                reexec-vs-proof.csv, .md and .svg to --out for the STUB backend (a signature \
                over the claim: its times are those of the interface, not of a proof system), \
                and reexec-vs-proof-stark.* for keel-stark-v1 (spec/STARK.md: a STARK per call; \
                proving is timed once per size; sizes above 2e6 steps, which need more than 2^21 \
                trace rows and would be re-executed rather than proven, are skipped). --system \
                picks stub, stark or both.
                """)

        /// The largest Fibonacci call one STARK proves: just under 2^21 steps and trace rows.
        static let starkStepsMax: UInt64 = 2_000_000

        enum SystemChoice: String, ExpressibleByArgument, CaseIterable {
            case stub, stark, both
        }

        @Option(help: "The proof backend: stub, stark or both.")
        var system: SystemChoice = .stub

        @Option(help: "VM step counts, comma-separated; 1e3 notation accepted (each at most 1e8, the per-call limit).")
        var steps: String = "1e3,1e4,1e5,1e6,1e7,1e8"

        @Option(help: "Runs per measurement; each time is the median.")
        var runs: Int = 5

        @Option(help: "Output directory.")
        var out: String = "Benchmarks/results"

        @Option(help: "Validators in the benchmark genesis (every one is in each witness).")
        var validators: Int = 64

        @Option(help: "Bystander accounts in the benchmark genesis (they deepen the state tree).")
        var accounts: Int = 10_000

        @Option(help: "The Fibonacci program source.")
        var program: String = "Genesis/programs/fibonacci.kasm"

        func validate() throws {
            _ = try parsedSteps()
            guard (1...1_000).contains(runs) else { throw ValidationError("--runs must be 1...1000") }
            guard (1...10_000).contains(validators) else { throw ValidationError("--validators must be 1...10000") }
            guard (0...1_000_000).contains(accounts) else { throw ValidationError("--accounts must be 0...1000000") }
        }

        func parsedSteps() throws -> [UInt64] {
            let values = try steps.split(separator: ",").map { text -> UInt64 in
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard let value = Double(trimmed), value >= 10, value <= 1e8, value == value.rounded() else {
                    throw ValidationError("--steps: '\(trimmed)' is not a step count from 10 to 1e8")
                }
                return UInt64(value)
            }
            guard !values.isEmpty else { throw ValidationError("--steps lists no step count") }
            return values
        }

        func run() throws {
            let stepCounts = try parsedSteps()
            let source: String
            do { source = try String(contentsOfFile: program, encoding: .utf8) } catch {
                throw UsageError("cannot read \(program): \(error.localizedDescription) (run from the repository root or pass --program)")
            }
            Keel.Bench.progress("building the genesis: \(validators) validators, \(accounts) bystander accounts")
            let blocks = try ReexecVsProofBlocks(validators: validators, bystanderAccounts: accounts, fibonacciSource: source)
            let stub = StubSignedClaimProofSystem(proverSecretKey: DevnetKeys.proverSecretKey, genesisRoot: blocks.preState.genesisRoot)
            let stark = StarkProofSystem(preset: blocks.preState.preset)
            let systems: [(any ProofSystem, isStub: Bool)] = switch system {
            case .stub: [(stub, true)]
            case .stark: [(stark, false)]
            case .both: [(stub, true), (stark, false)]
            }
            for (proofSystem, isStub) in systems {
                // One STARK covers at most 2^21 trace rows: a larger call would be re-executed
                // by the verifier, which measures re-execution twice, not a proof.
                let sizes = isStub ? stepCounts : stepCounts.filter { $0 <= Self.starkStepsMax }
                if sizes.count < stepCounts.count {
                    Keel.Bench.progress("keel-stark-v1: skipping sizes above \(Self.starkStepsMax) steps (more than 2^21 trace rows: re-executed, not proven)")
                }
                guard !sizes.isEmpty else { throw UsageError("--system stark: every --steps size is above \(Self.starkStepsMax)") }
                try measure(sizes, blocks: blocks, system: proofSystem, isStub: isStub)
            }
        }

        private func measure(_ stepCounts: [UInt64], blocks: ReexecVsProofBlocks, system: any ProofSystem, isStub: Bool) throws {
            let proveRuns = isStub ? runs : 1
            let measurement = ReexecVsProofMeasurement(blocks: blocks, system: system, runs: runs, proveRuns: proveRuns)
            var rows: [ReexecVsProofRow] = []
            for steps in stepCounts {
                Keel.Bench.progress("\(system.systemID): measuring \(steps) steps (\(runs) runs each, proving \(proveRuns))")
                let row = try measurement.measure(steps: steps)
                Keel.Bench.progress(String(
                    format: "  full %.3f ms, stateless %.3f ms, verify %.3f ms, prove %.3f ms, witness %d B",
                    Double(row.fullReexecNs) / 1e6, Double(row.statelessReexecNs) / 1e6, Double(row.proofVerifyNs) / 1e6,
                    Double(row.proveNs) / 1e6, row.witnessBytes))
                rows.append(row)
            }
            let report = ReexecVsProofReport(
                rows: rows, runs: runs, machine: Self.machine(), proofSystem: "\(system.systemID) (\(system.guarantee))",
                date: ISO8601DateFormatter().string(from: Date()), proofBackendIsStub: isStub, proveRuns: proveRuns,
                fileStem: isStub ? "reexec-vs-proof" : "reexec-vs-proof-stark")
            do { try report.write(to: out) } catch { throw UsageError("\(error)") }
            print(report.markdown())
            Keel.Bench.progress("wrote \(out)/\(report.fileStem).{csv,md,svg}")
        }


        /// "N cores, <CPU model>" from /proc/cpuinfo where there is one.
        static func machine() -> String {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
            let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
                .flatMap { $0.split(separator: ":", maxSplits: 1).last }
                .map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
            return "\(cores) cores, \(model)"
        }
    }
}

extension Keel.Bench {
    /// A progress line on standard error, so standard output keeps only the results.
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data("keel bench: \(line)\n".utf8))
    }
}
