extension ReexecVsProofReport {
    /// The CSV header, in the order `csv()` writes the fields.
    static let csvHeader =
        "steps,vm_steps,full_reexec_ns,stateless_reexec_ns,proof_verify_ns,prove_ns,witness_bytes,proof_bytes,block_bytes,prover_peak_rss_bytes"

    /// The raw measurements as CSV: the header, then one line per row sorted by `steps`, every
    /// line ending in a newline. Numbers are plain decimal integers, so no field needs quoting.
    ///
    /// - Returns: The CSV text.
    func csv() -> String {
        var lines = [Self.csvHeader]
        for row in sortedRows {
            let fields: [String] = [
                String(row.steps), String(row.vmSteps), String(row.fullReexecNs), String(row.statelessReexecNs),
                String(row.proofVerifyNs), String(row.proveNs), String(row.witnessBytes), String(row.proofBytes),
                String(row.blockBytes), String(row.proverPeakBytes),
            ]
            precondition(fields.count == 10)
            lines.append(fields.joined(separator: ","))
        }
        precondition(lines.count == rows.count + 1)
        return lines.joined(separator: "\n") + "\n"
    }
}
