import Foundation

/// The command line of `LimitsBench`.
struct Options {
    var markdownPath: String? = nil
    var pinCPU: Int? = nil
    var quick = false
    /// Summary rows written by VMRatio and ChainBench earlier in the same `make bench` run.
    var rowFiles: [String] = []
    /// The command that ran the suite, for the results file.
    var command = "LimitsBench"
    /// `uptime` as printed before the suite started (scripts/bench).
    var uptime: String? = nil
    var keyCount = 256
    var schnorrRuns = 21
    var shaRuns = 5
    var boundRuns = 31

    static let usage = """
        usage: LimitsBench [--markdown PATH] [--pin-cpu N] [--quick] [--rows PATH]... [--command TEXT] [--uptime TEXT]
                           [--keys N] [--schnorr-runs N] [--sha-runs N] [--bound-runs N]
          --markdown PATH     write the summary (machine, command, table, notes) to PATH
          --pin-cpu N         pin the single-core parts, and `openssl speed`, to CPU N (the two-thread
                              bound runs first, unpinned)
          --quick             fewer rounds (QUICK=1 make bench)
          --rows PATH         add the summary rows another benchmark wrote (repeatable, in order)
          --command TEXT      the command to name in the results file
          --uptime TEXT       `uptime` before the suite started, for the results file
          --keys N            keys, messages and signatures per Schnorr pass (default 256)
          --schnorr-runs N    Schnorr rounds (default 21; quick 7)
          --sha-runs N        SHA-256 rounds, each with one 1-second `openssl speed` per size (default 5; quick 2)
          --bound-runs N      rounds of the two-thread upper bound (default 31; quick 11)
        """

    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        if rest.contains("--quick") {
            options.quick = true
            options.schnorrRuns = 7
            options.shaRuns = 2
            options.boundRuns = 11
        }
        while let flag = rest.popFirst() {
            if flag == "--quick" { continue }
            if flag == "--help" || flag == "-h" { return nil }
            guard let value = rest.popFirst() else {
                print("LimitsBench: \(flag) needs a value")
                return nil
            }
            let number = Int(value).flatMap { (1...100_000).contains($0) ? $0 : nil }
            switch flag {
            case "--markdown": options.markdownPath = value
            case "--rows": options.rowFiles.append(value)
            case "--command": options.command = value
            case "--uptime": options.uptime = value.trimmingCharacters(in: .whitespaces)
            case "--pin-cpu": guard let n = Int(value), n >= 0 else { return nil }; options.pinCPU = n
            case "--keys": guard let n = number else { return nil }; options.keyCount = n
            case "--schnorr-runs": guard let n = number else { return nil }; options.schnorrRuns = n
            case "--sha-runs": guard let n = number else { return nil }; options.shaRuns = n
            case "--bound-runs": guard let n = number else { return nil }; options.boundRuns = n
            default:
                print("LimitsBench: unknown option \(flag)")
                return nil
            }
        }
        return options
    }
}
