/// The command line of `ChainBench`.
struct Options {
    var markdownPath: String? = nil
    /// Where to write this run's rows of the suite summary (LimitsBench `--rows`).
    var summaryRowsPath: String? = nil
    /// The CPU the single-threaded measurements pin the main thread to (nil: not pinned). The
    /// all-cores signature checks run before pinning, on every CPU the process was given.
    var pinCPU: Int? = nil
    var sections: Set<Section> = Set(Section.allCases)
    var quick = false

    // Block import
    var blockValidators = 1_024
    var attestations = 128
    var transactions = 100
    var blockRuns = 15
    /// Rounds of the all-cores comparison (cheap, and noisier than the single-core rows).
    var parallelRuns = 101
    /// Chunks for the all-cores check (default: one per online core, as `verifyAll` does).
    var chunkCount: Int? = nil
    /// Chunks of the second all-cores check, for comparison (default: one per core).
    var otherChunkCount: Int? = nil
    // Epoch processing
    var epochValidators = 10_000
    var epoch: UInt64 = 2
    var epochRuns = 7
    // Simulator
    var simEpochs1k: UInt64 = 4
    var simEpochs10k: UInt64 = 2
    var signed10k = true

    enum Section: String, CaseIterable { case block, epoch, sim }

    static let usage = """
        usage: ChainBench [--markdown PATH] [--summary-rows PATH] [--pin-cpu N] [--quick] [--only block|epoch|sim]...
                          [--runs N] [--parallel-runs N] [--block-validators N] [--attestations N] [--transactions N] [--chunks N] [--other-chunks N]
                          [--epoch-validators N] [--epoch N] [--epoch-runs N]
                          [--sim-epochs N] [--sim-epochs-10k N] [--no-signed-10k]
          --markdown PATH         also write the report as Markdown to PATH
          --summary-rows PATH     write this run's rows of the suite summary to PATH (scripts/bench)
          --pin-cpu N             pin the single-threaded measurements to CPU N (the all-cores signature
                                  checks run first, unpinned); scripts/bench passes BENCH_CPU (default 1)
          --quick                 fewer runs and epochs, and no 10,000-validator simulation with signatures
          --only SECTION          run only this section (repeatable): block, epoch, sim
          --runs N                block-import rounds, single core (default 15; quick 5)
          --parallel-runs N       rounds of the one-core vs all-cores comparison (default 101; quick 11)
          --block-validators N    validators of the block-import state (default 1024: a 128-member committee)
          --attestations N        attestations in the block (default 128)
          --transactions N        transfers in the block (default 100)
          --chunks N              chunks of the all-cores check (default: verifyAll's, 8 per online core)
          --other-chunks N        chunks of the second all-cores check (default: one per online core)
          --epoch-validators N    validators of the epoch-processing state (default 10000)
          --epoch N               process the boundary after epoch N (default 2)
          --epoch-runs N          epoch-processing rounds (default 7; quick 3)
          --sim-epochs N          epochs of the 1,000-validator simulations (default 4; quick 2)
          --sim-epochs-10k N      epochs of the 10,000-validator simulations (default 2; quick 1)
          --no-signed-10k         skip the 10,000-validator simulation with signatures (quick does)
        """

    /// Parses `arguments` (without the program name); returns nil after a bad option.
    static func parse(_ arguments: [String]) -> Options? {
        var options = Options()
        var only: Set<Section> = []
        var rest = arguments[...]
        // Quick first, so that explicit numbers given with it win.
        if rest.contains("--quick") {
            options.quick = true
            options.blockRuns = 5
            options.parallelRuns = 11
            options.epochRuns = 3
            options.simEpochs1k = 2
            options.simEpochs10k = 1
            options.signed10k = false
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--help", "-h": return nil
            case "--quick": continue
            case "--no-signed-10k":
                options.signed10k = false
                continue
            default: break
            }
            guard let value = rest.popFirst() else {
                print("ChainBench: \(flag) needs a value")
                return nil
            }
            func number(_ range: ClosedRange<Int>) -> Int? {
                guard let n = Int(value), range.contains(n) else {
                    print("ChainBench: \(flag) must be in \(range.lowerBound)...\(range.upperBound)")
                    return nil
                }
                return n
            }
            switch flag {
            case "--markdown": options.markdownPath = value
            case "--summary-rows": options.summaryRowsPath = value
            case "--pin-cpu": guard let n = number(0...1023) else { return nil }; options.pinCPU = n
            case "--only":
                guard let section = Section(rawValue: value) else {
                    print("ChainBench: unknown section \(value)")
                    return nil
                }
                only.insert(section)
            case "--runs": guard let n = number(1...1000) else { return nil }; options.blockRuns = n
            case "--parallel-runs": guard let n = number(1...1000) else { return nil }; options.parallelRuns = n
            case "--block-validators": guard let n = number(8...1_000_000) else { return nil }; options.blockValidators = n
            case "--attestations": guard let n = number(0...4096) else { return nil }; options.attestations = n
            case "--transactions": guard let n = number(0...1024) else { return nil }; options.transactions = n
            case "--chunks": guard let n = number(1...1024) else { return nil }; options.chunkCount = n
            case "--other-chunks": guard let n = number(1...4096) else { return nil }; options.otherChunkCount = n
            case "--epoch-validators": guard let n = number(8...1_000_000) else { return nil }; options.epochValidators = n
            case "--epoch": guard let n = number(1...200) else { return nil }; options.epoch = UInt64(n)
            case "--epoch-runs": guard let n = number(1...1000) else { return nil }; options.epochRuns = n
            case "--sim-epochs": guard let n = number(0...10_000) else { return nil }; options.simEpochs1k = UInt64(n)
            case "--sim-epochs-10k": guard let n = number(0...10_000) else { return nil }; options.simEpochs10k = UInt64(n)
            default:
                print("ChainBench: unknown option \(flag)")
                return nil
            }
        }
        if !only.isEmpty { options.sections = only }
        return options
    }
}
