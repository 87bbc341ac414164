// VMRatio: interpreter speed of the Swift `Interpreter` against `CKeelVM`, a C interpreter of the
// same ISA, on the same programs and inputs, as a ratio of time per VM instruction.
// The target (issue text): Swift spends at most 1.2x the C interpreter's time per instruction.
//
// Run it pinned to one core, as `scripts/bench` does:
//   swift build -c release --product VMRatio && taskset -c 1 .build/release/VMRatio
import Foundation
import VMWorkloads

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    print(Options.usage)
    exit(2)
}

do {
    if options.differentialCount > 0 {
        print("checking C against Swift on \(options.differentialCount) random programs...")
        if let mismatch = DifferentialCheck.run(count: options.differentialCount) {
            print("VMRatio: the interpreters disagree: \(mismatch)")
            exit(1)
        }
    }
    var measurements: [Measurement] = []
    for name in Workload.names {
        let workload = try Workload.make(
            name, programsDirectory: options.root + "/Genesis/programs",
            instructionCount: options.instructionCount)
        print("timing \(name) (\(workload.expected.steps) instructions)...")
        let measurement = try Measurement.measure(workload, runs: options.runs)
        if options.verbose {
            let format = { (values: [Double]) in
                values.map { String(format: "%.3f", $0 / Double(measurement.instructionCount)) }.joined(separator: " ")
            }
            print("  Swift ns/instr: \(format(measurement.swiftNanoseconds))")
            print("  C ns/instr:     \(format(measurement.cNanoseconds))")
        }
        measurements.append(measurement)
    }
    let report = Report(measurements: measurements, ratioTarget: options.ratioTarget, runs: options.runs)
    print("")
    print(report.text())
    if let path = options.markdownPath {
        try report.markdown().write(toFile: path, atomically: true, encoding: .utf8)
        print("\nwrote \(path)")
    }
    if let path = options.summaryRowsPath {
        try report.summaryRows().write(toFile: path, atomically: true, encoding: .utf8)
    }
} catch {
    print("VMRatio: \(error)")
    exit(1)
}
