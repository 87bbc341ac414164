// package-benchmark suite for the Keel VM: the Swift `Interpreter` and the C interpreter of
// `CKeelVM` on the same example programs (`swift package benchmark --no-progress`).
//
// Each benchmark iteration runs one workload of one million VM instructions (within 0.1%; the
// exact counts are in the names). So the throughput column (# / s) reads as millions of VM
// instructions per second, and the wall clock in microseconds as 1000 times the nanoseconds per
// VM instruction. For the Swift/C ratio at 20M instructions per run, pinned to a core, use
// `scripts/bench` (VMRatio).
import Benchmark
import KeelTestSupport
import KeelVM
import VMWorkloads

let benchmarks: @Sendable () -> Void = {
    let instructionCount: UInt64 = 1_000_000
    // The programs are read from disk and assembled, and the inputs drawn from a generator, all
    // at run time, so the optimizer cannot fold any of a run away.
    let programs = RepositoryPaths.programs
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput],
        timeUnits: .microseconds,
        maxDuration: .seconds(3),
        maxIterations: 1_000
    )
    for name in Workload.names {
        let workload: Workload
        do {
            workload = try Workload.make(name, programsDirectory: programs, instructionCount: instructionCount)
        } catch {
            fatalError("VMBenchmarks: cannot build workload \(name): \(error)")
        }
        let steps = workload.expected.steps
        precondition(steps.distance(to: instructionCount).magnitude * 1000 < instructionCount, "about 1M")
        let swiftInterpreter = Interpreter(workload.program)
        let cInterpreter: CInterpreter
        do {
            cInterpreter = try CInterpreter(workload.program)
        } catch {
            fatalError("VMBenchmarks: \(error)")
        }
        precondition(
            cInterpreter.run(storage: workload.storage, input: workload.input, stepLimit: Workload.stepLimit)
                == workload.expected,
            "the C interpreter agrees with the Swift one on \(name)")

        Benchmark("VM \(name) Swift (\(steps) instr)", configuration: configuration) { _ in
            let result = try swiftInterpreter.run(
                storage: workload.storage, input: workload.input, stepLimit: Workload.stepLimit)
            blackHole(result)
        }
        Benchmark("VM \(name) C (\(steps) instr)", configuration: configuration) { _ in
            let result = cInterpreter.run(
                storage: workload.storage, input: workload.input, stepLimit: Workload.stepLimit)
            blackHole(result)
        }
    }
}
