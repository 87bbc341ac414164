/// The measurements of `keel bench reexec-vs-proof` and the facts needed to read them, turned
/// into a CSV table, a Markdown summary and an SVG plot by the extensions in this folder.
///
/// Building the texts is pure: the machine line, the date and the proof system come in as
/// strings, so the caller (the benchmark command) is the one that reads `/proc` and the clock.
/// Only `write(to:)` touches the disk.
struct ReexecVsProofReport {
    /// One entry per block size, in any order; every output sorts them by `steps`.
    var rows: [ReexecVsProofRow]
    /// How many runs each time is the median of.
    var runs: Int
    /// The machine the numbers come from, for example "2 cores, AMD EPYC 7763".
    var machine: String
    /// The proof backend, for example "stub-signed-claim (STUB: a Schnorr signature over the
    /// claim; proves nothing about execution)".
    var proofSystem: String
    /// When the benchmark ran, as the caller wants it printed.
    var date: String
    /// Whether the proof backend is a stand-in that proves nothing; the Markdown report then says
    /// so in a line of its own. Defaults to `true`, since the only backend so far is the stub.
    var proofBackendIsStub: Bool
    /// How many runs the prove column is the median of (fewer than `runs` for a real prover).
    var proveRuns: Int
    /// The output files' name without extension.
    var fileStem: String

    /// Creates a report.
    ///
    /// - Parameters:
    ///   - rows: One entry per block size, in any order.
    ///   - runs: How many runs each time is the median of; at least 1.
    ///   - machine: The machine line, for example "2 cores, AMD EPYC 7763".
    ///   - proofSystem: The proof backend's name and nature.
    ///   - date: When the benchmark ran.
    ///   - proofBackendIsStub: Whether the backend proves nothing about execution.
    init(
        rows: [ReexecVsProofRow], runs: Int, machine: String, proofSystem: String, date: String,
        proofBackendIsStub: Bool = true, proveRuns: Int? = nil, fileStem: String = "reexec-vs-proof"
    ) {
        precondition(runs >= 1, "a median needs at least one run")
        precondition(rows.allSatisfy { $0.witnessBytes >= 0 && $0.proofBytes >= 0 && $0.blockBytes >= 0 })
        self.rows = rows
        self.runs = runs
        self.machine = machine
        self.proofSystem = proofSystem
        self.date = date
        self.proofBackendIsStub = proofBackendIsStub
        self.proveRuns = proveRuns ?? runs
        self.fileStem = fileStem
    }

    /// The rows by ascending `steps` (then `vmSteps`, so that the order never depends on input
    /// order).
    var sortedRows: [ReexecVsProofRow] {
        let sorted = rows.sorted { ($0.steps, $0.vmSteps) < ($1.steps, $1.vmSteps) }
        precondition(sorted.count == rows.count)
        return sorted
    }
}
