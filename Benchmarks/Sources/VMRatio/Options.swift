import KeelTestSupport

/// The command line of `VMRatio`.
struct Options {
    /// The repository root (holding `Genesis/programs`); by default found from KeelTestSupport's
    /// own source location.
    var root: String = RepositoryPaths.root
    /// Also write the table as Markdown to this file.
    var markdownPath: String? = nil
    /// Where to write the rows of the suite's summary (LimitsBench `--rows`), tab-separated.
    var summaryRowsPath: String? = nil
    /// Timed runs per interpreter and workload (interleaved Swift, C, Swift, C, ...).
    var runs = 11
    /// VM instructions per workload run.
    var instructionCount: UInt64 = 20_000_000
    /// Random programs run through both interpreters before timing, to check they agree.
    var differentialCount = 20_000
    /// Print every timed run.
    var verbose = false
    /// The wanted bound on Swift time / C time per instruction.
    var ratioTarget = 1.2

    static let usage = """
        usage: VMRatio [--markdown PATH] [--summary-rows PATH] [--root REPO] [--runs N] [--instructions N] [--differential N] [--verbose]
          --markdown PATH    also write the table as Markdown to PATH
          --summary-rows PATH  write this run's rows of the suite summary to PATH (scripts/bench)
          --root REPO        the repository root holding Genesis/programs (default: found from the sources)
          --runs N           timed runs per interpreter and workload, interleaved (default 11)
          --instructions N   VM instructions per workload run (default 20000000)
          --differential N   random programs to check C against Swift first (default 20000)
          --verbose          print every timed run
        """

    /// Parses `arguments` (without the program name); returns nil after printing usage.
    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if flag == "--help" || flag == "-h" { return nil }
            if flag == "--verbose" {
                options.verbose = true
                continue
            }
            guard let value = rest.popFirst() else {
                print("VMRatio: \(flag) needs a value")
                return nil
            }
            switch flag {
            case "--markdown": options.markdownPath = value
            case "--summary-rows": options.summaryRowsPath = value
            case "--root": options.root = value
            case "--runs":
                guard let runs = Int(value), runs >= 1, runs <= 1000 else { return nil }
                options.runs = runs
            case "--instructions":
                guard let count = UInt64(value), count >= 10_000, count <= 90_000_000 else { return nil }
                options.instructionCount = count
            case "--differential":
                guard let count = Int(value), count >= 0 else { return nil }
                options.differentialCount = count
            default:
                print("VMRatio: unknown option \(flag)")
                return nil
            }
        }
        return options
    }
}
