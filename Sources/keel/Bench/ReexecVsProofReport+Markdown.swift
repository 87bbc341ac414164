extension ReexecVsProofReport {
    /// The report's title, shared by the Markdown and the SVG.
    static let title = "Keel: re-execution vs proof verification"

    /// A Markdown summary: the title, what the numbers come from (machine, runs, date, proof
    /// system, and a plain warning when the backend is a stub), a table in human units, and a
    /// crossover sentence computed from the rows.
    ///
    /// - Returns: The Markdown text, ending in a newline.
    func markdown() -> String {
        let sorted = sortedRows
        var lines = ["# \(Self.title)", ""]
        lines.append("- Machine: \(Self.oneLine(machine))")
        lines.append("- Runs: every time is the median of \(runs) run\(runs == 1 ? "" : "s")"
            + (proveRuns == runs ? "" : ", proving of \(proveRuns)"))
        lines.append("- Date: \(Self.oneLine(date))")
        lines.append("- Proof system: \(Self.oneLine(proofSystem))")
        if proofBackendIsStub {
            lines.append(
                "- **The proof backend is a stub.** Its proofs prove nothing about execution, so the proof verify, "
                    + "prove and proof columns measure the stub, not a real proof system.")
        }
        lines.append("")
        guard !sorted.isEmpty else {
            lines.append("No measurements.")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("| VM steps | full re-exec | stateless re-exec | proof verify | prove | witness | proof | prover peak RSS |")
        lines.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for row in sorted {
            lines.append(Self.tableLine(row))
        }
        lines.append("")
        lines.append(Self.crossoverSentence(sortedRows: sorted))
        precondition(lines.count >= sorted.count + 8)
        return lines.joined(separator: "\n") + "\n"
    }

    /// One table line: the requested steps (with the executed count when it differs), then times
    /// and sizes in human units.
    static func tableLine(_ row: ReexecVsProofRow) -> String {
        var steps = StepCountFormat.string(row.steps)
        if row.vmSteps != row.steps { steps += " (\(StepCountFormat.string(row.vmSteps)) executed)" }
        let cells = [
            steps,
            DurationFormat.string(ns: row.fullReexecNs), DurationFormat.string(ns: row.statelessReexecNs),
            DurationFormat.string(ns: row.proofVerifyNs), DurationFormat.string(ns: row.proveNs),
            ByteFormat.string(bytes: row.witnessBytes), ByteFormat.string(bytes: row.proofBytes),
            ByteFormat.string(bytes: row.proverPeakBytes),
        ]
        precondition(cells.count == 8, "one cell per column")
        return "| " + cells.joined(separator: " | ") + " |"
    }

    /// The crossover paragraph: where proof verification becomes cheaper than stateless and
    /// full re-execution, and the ratios at the largest measured size.
    ///
    /// - Parameter rows: At least one row, sorted by `steps`.
    static func crossoverSentence(sortedRows rows: [ReexecVsProofRow]) -> String {
        precondition(!rows.isEmpty)
        guard let largest = rows.last else { preconditionFailure("checked above") }
        let crossover = ReexecVsProofCrossover(sortedRows: rows)
        var sentence = "**Crossover:** proof verification is "
        if crossover.versusStateless == crossover.versusFull {
            let both = crossover.versusBoth == .never ? "stateless or full re-execution" : "both stateless and full re-execution"
            sentence += clause(crossover.versusBoth, than: both) + "."
        } else {
            sentence += clause(crossover.versusStateless, than: "stateless re-execution") + ", and "
            sentence += clause(crossover.versusFull, than: "full re-execution")
            sentence += "; so it is " + clause(crossover.versusBoth, than: "both") + "."
        }
        // A zero median (a clock too coarse for the work) counts as 1 ns, as in the plot.
        let verifyNs = Double(max(largest.proofVerifyNs, 1))
        let statelessRatio = SignificantFormat.string(Double(largest.statelessReexecNs) / verifyNs)
        let fullRatio = SignificantFormat.string(Double(largest.fullReexecNs) / verifyNs)
        sentence += " At the largest size (\(StepCountFormat.string(largest.steps)) VM steps), stateless re-execution"
        sentence += " takes \(statelessRatio)x as long as proof verification, and full re-execution \(fullRatio)x."
        return sentence
    }

    /// "cheaper than `baseline` from 10^5 VM steps on", and the like, for one outcome.
    static func clause(_ outcome: ReexecVsProofCrossover.Outcome, than baseline: String) -> String {
        switch outcome {
        case .everywhere:
            return "cheaper at every measured size than \(baseline)"
        case .from(let steps):
            return "cheaper than \(baseline) from \(StepCountFormat.string(steps)) VM steps on"
        case .isolated(let steps):
            let sizes = steps.map(StepCountFormat.string).joined(separator: ", ")
            return "cheaper than \(baseline) only at \(sizes) VM steps, not at the largest size"
        case .never:
            return "never cheaper in the measured range than \(baseline)"
        }
    }

    /// Keeps a caller's string on one Markdown line.
    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
