import Foundation
import KeelVM
import VMWorkloads

/// The timings of one workload on both interpreters.
struct Measurement {
    var workload: String
    var instructionCount: UInt64
    var swiftNanoseconds: [Double]
    var cNanoseconds: [Double]

    var swiftNanosecondsPerInstruction: Double { median(swiftNanoseconds) / Double(instructionCount) }
    var cNanosecondsPerInstruction: Double { median(cNanoseconds) / Double(instructionCount) }
    /// Swift time / C time per instruction, below 1 when Swift is faster: the median over the
    /// rounds of each round's ratio. A round runs both interpreters back to back, so both see the
    /// same machine state; this is steadier than a ratio of medians when the machine is busy.
    var ratio: Double {
        precondition(swiftNanoseconds.count == cNanoseconds.count, "runs come in pairs")
        return median(zip(swiftNanoseconds, cNanoseconds).map { $0 / $1 })
    }

    /// Times `runs` runs of each interpreter, interleaved and alternating which goes first, after
    /// one untimed warm-up run each. Every run's result must equal the workload's expected one.
    static func measure(_ workload: Workload, runs: Int) throws -> Measurement {
        let swiftInterpreter = Interpreter(workload.program)
        let cInterpreter = try CInterpreter(workload.program)
        let swiftRun = { () throws(ExecutionInputError) -> ExecutionResult in
            try swiftInterpreter.run(storage: workload.storage, input: workload.input, stepLimit: Workload.stepLimit)
        }
        let cRun = { () -> ExecutionResult in
            cInterpreter.run(storage: workload.storage, input: workload.input, stepLimit: Workload.stepLimit)
        }
        try check(workload, "Swift", try swiftRun())
        try check(workload, "C", cRun())
        var measurement = Measurement(
            workload: workload.name, instructionCount: workload.expected.steps,
            swiftNanoseconds: [], cNanoseconds: [])
        for round in 0 ..< runs {
            for swiftFirst in round % 2 == 0 ? [true, false] : [false, true] {
                let start = threadCPUNanoseconds()
                let result = swiftFirst ? try swiftRun() : cRun()
                let elapsed = Double(threadCPUNanoseconds() - start)
                try check(workload, swiftFirst ? "Swift" : "C", result)
                if swiftFirst {
                    measurement.swiftNanoseconds.append(elapsed)
                } else {
                    measurement.cNanoseconds.append(elapsed)
                }
            }
        }
        return measurement
    }

    private static func check(_ workload: Workload, _ who: String, _ result: ExecutionResult) throws {
        guard result == workload.expected else {
            throw WorkloadError(
                message: "\(workload.name): \(who) gave \(result.status) steps \(result.steps) pc \(result.pc), "
                    + "expected \(workload.expected.status) steps \(workload.expected.steps) pc \(workload.expected.pc)"
                    + " (or a different output or storage)")
        }
    }

    /// This thread's CPU time. The runs are single-threaded and CPU-bound, so this equals wall
    /// time on an idle core, but unlike wall time it does not count time spent descheduled when
    /// other processes share the core (the build machines are often busy).
    private static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        let status = clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        precondition(status == 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) works")
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

/// The median of a non-empty list (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "median of nothing")
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
