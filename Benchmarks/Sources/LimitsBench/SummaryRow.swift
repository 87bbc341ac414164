import BenchSupport
import Foundation

/// One line of the suite's summary: a measurement, the limit it is held against, and the target.
///
/// VMRatio and ChainBench write their rows to a file (`--summary-rows PATH`, one row per line,
/// tab-separated in the order of `columns`); LimitsBench reads them back with `--rows PATH`, adds
/// its own and prints the one table of `make bench`.
struct SummaryRow {
    var benchmark: String
    var ours: String
    var limit: String
    var ratio: String
    var target: String
    var met: String

    static let columns = ["benchmark", "ours", "limit", "ratio", "target", "met?"]

    var cells: [String] { [benchmark, ours, limit, ratio, target, met] }

    /// A row with a ratio target; `higherIsBetter` says which side of `target` meets it.
    /// With `percent`, the ratio and target print as percentages (our speed as a share of the limit's).
    init(_ benchmark: String, ours: String, limit: String, ratio: Double, target: Double, higherIsBetter: Bool,
         percent: Bool = false) {
        self.benchmark = benchmark
        self.ours = ours
        self.limit = limit
        self.ratio = percent ? fixed(100 * ratio, 1) + "%" : fixed(ratio, 2) + "x"
        self.target = (higherIsBetter ? ">= " : "<= ") + (percent ? fixed(100 * target, 0) + "%" : fixed(target, 2) + "x")
        let isMet = higherIsBetter ? ratio >= target : ratio <= target
        self.met = isMet ? "yes" : "NO"
    }

    /// A plain throughput row: no target, `limit` names what it is compared to, if anything.
    init(_ benchmark: String, ours: String, limit: String = "-", ratio: String = "-") {
        self.benchmark = benchmark
        self.ours = ours
        self.limit = limit
        self.ratio = ratio
        self.target = "-"
        self.met = "-"
    }

    init?(line: Substring) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6 else { return nil }
        (benchmark, ours, limit, ratio, target, met) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5])
    }

    /// Reads the rows another benchmark wrote; a missing file gives one row that says so.
    static func read(_ path: String) -> [SummaryRow] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return [SummaryRow("(rows missing: \(path))", ours: "-")]
        }
        return text.split(separator: "\n").compactMap { SummaryRow(line: $0) }
    }
}
