import ArgumentParser
import Foundation
import KeelStark
import KeelVM

extension Keel.Bench {
    /// `keel bench stark`: the generic STARK on the example AIRs, to see what proving and
    /// checking cost as the trace grows, before the VM AIR exists.
    struct Stark: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stark",
            abstract: "Time the STARK prover and verifier on an example AIR as the trace grows.",
            discussion: """
                For each trace length 2^k of --log-rows, builds the AIR's trace, proves it once \
                (wall time on every core, peak resident memory of the process so far: run sizes \
                in ascending order) and verifies the proof --runs times (median). Prints proof \
                bytes and the conjectured security of spec/STARK.md §8 for each size. With --air \
                vm the trace is a Fibonacci call of just under 2^k steps (the VM AIR: 63 main \
                columns, 11 extension columns); the example AIRs calibrate the machinery.
                """)

        enum ExampleAir: String, ExpressibleByArgument, CaseIterable {
            case fibonacci, lookup, vm
        }

        @Option(help: "The AIR: vm (the Keel VM AIR on a Fibonacci call filling the trace), fibonacci (2 columns) or lookup (3 columns, logUp).")
        var air: ExampleAir = .vm

        @Option(help: "With --air vm: the Fibonacci program source.")
        var program: String = "Genesis/programs/fibonacci.kasm"

        @Option(help: "log2 of the trace lengths, comma-separated (each 2...21).")
        var logRows: String = "16,18,20"

        @Option(help: "Verifications per size; the time is the median.")
        var runs: Int = 5

        func validate() throws {
            _ = try parsedLogRows()
            guard (1...1_000).contains(runs) else { throw ValidationError("--runs must be 1...1000") }
        }

        func parsedLogRows() throws -> [Int] {
            let values = try logRows.split(separator: ",").map { text -> Int in
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)), (2...21).contains(value) else {
                    throw ValidationError("--log-rows: '\(text)' is not a log2 trace length from 2 to 21")
                }
                return value
            }
            guard !values.isEmpty else { throw ValidationError("--log-rows lists nothing") }
            return values
        }

        func run() throws {
            print("| rows | prove | verify (median of \(runs)) | proof bytes | peak RSS | conjectured bits |")
            print("|---:|---:|---:|---:|---:|---:|")
            for logN in try parsedLogRows() {
                Keel.Bench.progress("proving 2^\(logN) rows of the \(air.rawValue) AIR")
                let row = try measure(logN: logN)
                print("| 2^\(logN) | \(row.prove) | \(row.verify) | \(row.bytes) | \(row.rss) | \(row.bits) |")
            }
        }

        private func measure(logN: Int) throws -> (prove: String, verify: String, bytes: Int, rss: String, bits: String) {
            switch air {
            case .fibonacci:
                let (statement, trace) = FibonacciAir.trace(logRows: logN)
                return try measure(statement, trace: trace, logN: logN)
            case .vm:
                return try measureVM(logN: logN)
            case .lookup:
                let rows = 1 << logN
                let values = (0..<rows).map { UInt32(($0 &* 2_654_435_761) % rows) }
                return try measure(RangeLookupAir(), trace: RangeLookupAir.trace(values: values), logN: logN)
            }
        }

        /// A Fibonacci call of `(2^k − 16)/5` iterations: five steps each, so just under `2^k`.
        private func measureVM(logN: Int) throws -> (prove: String, verify: String, bytes: Int, rss: String, bits: String) {
            let loaded = try ProgramFile.load(at: program)
            let iterations = UInt32(((1 << logN) - 16) / 5)
            let trace = try VmTrace.build(program: loaded, storage: [], input: [iterations], stepLimit: Interpreter.stepLimitDefault)
            guard trace.logRowCount == logN else { throw UsageError("the Fibonacci call took \(trace.statement.result.steps) steps, not under 2^\(logN)") }
            return try measure(trace.air, trace: trace.columns, logN: logN)
        }

        private func measure<A: Air>(_ statement: A, trace: [[Fp]], logN: Int) throws -> (prove: String, verify: String, bytes: Int, rss: String, bits: String) {
            let start = DispatchTime.now().uptimeNanoseconds
            let proof = try StarkProver.prove(statement, trace: trace).encoded()
            let proveSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            var verifyTimes: [Double] = []
            for _ in 0..<runs {
                let verifyStart = DispatchTime.now().uptimeNanoseconds
                try StarkVerifier.verify(statement, proof: proof)
                verifyTimes.append(Double(DispatchTime.now().uptimeNanoseconds - verifyStart) / 1e6)
            }
            let medianVerify = verifyTimes.sorted()[verifyTimes.count / 2]
            let peakBytes = ReexecVsProofMeasurement.peakResidentBytes()
            let security = StarkSecurity(air: statement, parameters: .standard, logTraceLength: logN)
            return (String(format: "%.2f s", proveSeconds), String(format: "%.2f ms", medianVerify), proof.count,
                    String(format: "%.0f MB", Double(peakBytes) / 1_048_576), String(format: "%.1f", security.bits))
        }
    }
}
