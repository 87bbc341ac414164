import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import keel

/// The report writer of `keel bench reexec-vs-proof`: CSV, Markdown (units, crossover), SVG
/// (well-formed XML, one polyline per method, no NaN) and the files it writes.
final class BenchReportTests: XCTestCase {
    // MARK: - Fixtures

    /// A row whose times are given per method; sizes grow with the steps.
    private func row(_ steps: UInt64, full: UInt64, stateless: UInt64, verify: UInt64, prove: UInt64) -> ReexecVsProofRow {
        ReexecVsProofRow(
            steps: steps, vmSteps: steps, fullReexecNs: full, statelessReexecNs: stateless, proofVerifyNs: verify,
            proveNs: prove, witnessBytes: Int(steps / 10), proofBytes: 97, blockBytes: 300)
    }

    private func report(_ rows: [ReexecVsProofRow], machine: String = "2 cores, Test CPU") -> ReexecVsProofReport {
        ReexecVsProofReport(
            rows: rows, runs: 5, machine: machine,
            proofSystem: "stub-signed-claim (STUB: a Schnorr signature over the claim; proves nothing about execution)",
            date: "2026-11-22")
    }

    /// Re-execution grows 1 ns a step (stateless 1.2 ns); verification costs a flat 50 µs, so it
    /// is cheaper than both from 10^5 steps on.
    private var crossingRows: [ReexecVsProofRow] {
        [3, 4, 5, 6, 7, 8].map { exponent in
            let steps = power(exponent)
            return row(steps, full: steps, stateless: steps * 12 / 10, verify: 50_000, prove: 2_000_000 + steps * 3)
        }
    }

    private func power(_ exponent: Int) -> UInt64 {
        (0..<exponent).reduce(UInt64(1)) { value, _ in value * 10 }
    }

    // MARK: - CSV

    func testCSVHasTheHeaderAndRowsSortedBySteps() {
        let rows = crossingRows
        let csv = report([rows[4], rows[0], rows[5], rows[2], rows[1], rows[3]]).csv()
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(
            lines.first,
            "steps,vm_steps,full_reexec_ns,stateless_reexec_ns,proof_verify_ns,prove_ns,witness_bytes,proof_bytes,block_bytes,prover_peak_rss_bytes")
        XCTAssertEqual(lines.count, 8, "header, six rows, and the empty string after the final newline")
        XCTAssertEqual(lines.last, "")
        XCTAssertEqual(lines[1], "1000,1000,1000,1200,50000,2003000,100,97,300,0")
        XCTAssertEqual(lines[1...6].map { $0.split(separator: ",")[0] }, ["1000", "10000", "100000", "1000000", "10000000", "100000000"])
        XCTAssertTrue(lines[1...6].allSatisfy { $0.split(separator: ",").count == 10 })
    }

    // MARK: - Units

    func testDurationFormatUsesThreeSignificantDigitsInTheLargestUnit() {
        XCTAssertEqual(DurationFormat.string(ns: 0), "0 ns")
        XCTAssertEqual(DurationFormat.string(ns: 999), "999 ns")
        XCTAssertEqual(DurationFormat.string(ns: 1_000), "1.00 µs")
        XCTAssertEqual(DurationFormat.string(ns: 1_500), "1.50 µs")
        XCTAssertEqual(DurationFormat.string(ns: 12_345), "12.3 µs")
        XCTAssertEqual(DurationFormat.string(ns: 999_499), "999 µs")
        XCTAssertEqual(DurationFormat.string(ns: 999_999), "1.00 ms", "rounding up to 1000 µs moves to the next unit")
        XCTAssertEqual(DurationFormat.string(ns: 2_500_000), "2.50 ms")
        XCTAssertEqual(DurationFormat.string(ns: 9_996_000), "10.0 ms")
        XCTAssertEqual(DurationFormat.string(ns: 12_345_678_901), "12.3 s")
        XCTAssertEqual(DurationFormat.string(ns: 1_234_500_000_000), "1235 s")
    }

    func testDurationDecadeLabels() {
        XCTAssertEqual((0...10).map(DurationFormat.decadeLabel), [
            "1 ns", "10 ns", "100 ns", "1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s", "10 s",
        ])
    }

    func testByteFormatUsesBinaryUnits() {
        XCTAssertEqual(ByteFormat.string(bytes: 0), "0 B")
        XCTAssertEqual(ByteFormat.string(bytes: 1_023), "1023 B")
        XCTAssertEqual(ByteFormat.string(bytes: 1_024), "1.00 KiB")
        XCTAssertEqual(ByteFormat.string(bytes: 1_536), "1.50 KiB")
        XCTAssertEqual(ByteFormat.string(bytes: 1_048_575), "1.00 MiB", "rounding up to 1024 KiB moves to the next unit")
        XCTAssertEqual(ByteFormat.string(bytes: 5 * 1_048_576), "5.00 MiB")
        XCTAssertEqual(ByteFormat.string(bytes: 3 * 1_073_741_824), "3.00 GiB")
    }

    func testSignificantFormatKeepsTrailingZerosAndCarries() {
        XCTAssertEqual(SignificantFormat.string(2.5), "2.50")
        XCTAssertEqual(SignificantFormat.string(9.996), "10.0")
        XCTAssertEqual(SignificantFormat.string(99.96), "100")
        XCTAssertEqual(SignificantFormat.string(0.012345), "0.0123")
        XCTAssertEqual(SignificantFormat.string(0.5), "0.500")
        XCTAssertEqual(SignificantFormat.string(0.9996), "1.00")
        XCTAssertEqual(SignificantFormat.string(0), "0.00")
    }

    // MARK: - Markdown

    func testMarkdownTableUsesHumanUnits() {
        let rows = [
            row(1_000, full: 1_500, stateless: 2_500_000, verify: 850, prove: 12_345_678_901),
        ]
        var bigger = row(10_000, full: 15_000, stateless: 25_000, verify: 900, prove: 2_000_000_000)
        bigger.vmSteps = 10_012
        bigger.witnessBytes = 1_536
        bigger.proofBytes = 5 * 1_048_576
        let markdown = report(rows + [bigger]).markdown()
        XCTAssertTrue(markdown.hasPrefix("# "), markdown)
        XCTAssertTrue(
            markdown.contains("| VM steps | full re-exec | stateless re-exec | proof verify | prove | witness | proof | prover peak RSS |"), markdown)
        XCTAssertTrue(markdown.contains("| 10^3 | 1.50 µs | 2.50 ms | 850 ns | 12.3 s | 100 B | 97 B |"), markdown)
        XCTAssertTrue(markdown.contains("| 10^4 (10,012 executed) | 15.0 µs | 25.0 µs | 900 ns | 2.00 s | 1.50 KiB | 5.00 MiB |"), markdown)
        XCTAssertTrue(markdown.contains("- Machine: 2 cores, Test CPU"), markdown)
        XCTAssertTrue(markdown.contains("median of 5 runs"), markdown)
        XCTAssertTrue(markdown.contains("- Date: 2026-11-22"), markdown)
        XCTAssertTrue(markdown.contains("- Proof system: stub-signed-claim"), markdown)
        XCTAssertTrue(markdown.contains("**The proof backend is a stub.**"), markdown)
    }

    func testMarkdownOmitsTheStubWarningForARealBackend() {
        var real = report(crossingRows)
        real.proofBackendIsStub = false
        XCTAssertFalse(real.markdown().contains("is a stub"))
    }

    // MARK: - Crossover

    func testCrossoverFromTenToTheFifth() {
        let markdown = report(crossingRows.reversed()).markdown()
        XCTAssertTrue(
            markdown.contains("proof verification is cheaper than both stateless and full re-execution from 10^5 VM steps on."),
            markdown)
        // At 10^8: stateless 1.2e8 / 5e4 = 2400, full 1e8 / 5e4 = 2000.
        XCTAssertTrue(
            markdown.contains("At the largest size (10^8 VM steps), stateless re-execution takes 2400x as long as proof verification, and full re-execution 2000x."),
            markdown)
    }

    func testCrossoverCheaperEverywhere() {
        let rows = crossingRows.map { row($0.steps, full: $0.fullReexecNs, stateless: $0.statelessReexecNs, verify: 10, prove: 1) }
        let markdown = report(rows).markdown()
        XCTAssertTrue(
            markdown.contains("proof verification is cheaper at every measured size than both stateless and full re-execution."),
            markdown)
        XCTAssertFalse(markdown.contains("never"), markdown)
    }

    func testCrossoverNeverCheaper() {
        let rows = crossingRows.map { row($0.steps, full: $0.fullReexecNs, stateless: $0.statelessReexecNs, verify: $0.statelessReexecNs * 2, prove: 1) }
        let markdown = report(rows).markdown()
        XCTAssertTrue(
            markdown.contains("proof verification is never cheaper in the measured range than stateless or full re-execution."),
            markdown)
        XCTAssertTrue(markdown.contains("takes 0.500x as long as proof verification"), markdown)
    }

    func testCrossoverDiffersPerBaseline() {
        // Verification at 2e4 ns: cheaper than stateless (1.2 ns/step) from 10^5, than full
        // re-execution (only 0.01 ns a step here) from 10^7.
        let rows = crossingRows.map { row($0.steps, full: $0.steps / 100, stateless: $0.statelessReexecNs, verify: 20_000, prove: 1) }
        let markdown = report(rows).markdown()
        XCTAssertTrue(
            markdown.contains(
                "proof verification is cheaper than stateless re-execution from 10^5 VM steps on, and cheaper than full re-execution from 10^7 VM steps on; so it is cheaper than both from 10^7 VM steps on."),
            markdown)
    }

    func testCrossoverIgnoresAWinThatLargerSizesContradict() {
        var rows = crossingRows.map { row($0.steps, full: $0.fullReexecNs, stateless: $0.statelessReexecNs, verify: UInt64.max / 2, prove: 1) }
        rows[1].proofVerifyNs = 1 // a noisy win at 10^4 only
        XCTAssertEqual(ReexecVsProofCrossover(sortedRows: rows).versusBoth, .isolated(steps: [10_000]))
        XCTAssertTrue(report(rows).markdown().contains("only at 10^4 VM steps, not at the largest size"))
    }

    // MARK: - SVG

    /// Parses `svg` as XML, failing the test when it is not well-formed.
    private func parse(_ svg: String, line: UInt = #line) throws -> XMLDocument {
        try XMLDocument(data: Data(svg.utf8), options: [])
    }

    private func elements(named name: String, in document: XMLDocument) throws -> [XMLNode] {
        try document.nodes(forXPath: "//*[local-name()='\(name)']")
    }

    /// An attribute's value, found by scanning the attributes: FoundationXML's
    /// `attribute(forName:)` misses attributes on elements in the SVG default namespace.
    private func attribute(_ name: String, of node: XMLNode) -> String? {
        (node as? XMLElement)?.attributes?.first { $0.localName == name || $0.name == name }?.stringValue
    }

    func testSVGIsWellFormedWithOnePolylinePerMethod() throws {
        let svg = report(crossingRows, machine: "2 cores, <Fancy & \"Quoted\" CPU>").svg()
        let document = try parse(svg)
        XCTAssertEqual(document.rootElement()?.localName, "svg")
        XCTAssertEqual(document.rootElement().flatMap { attribute("width", of: $0) }, "720")
        XCTAssertEqual(try elements(named: "polyline", in: document).count, 4)
        let methods = try elements(named: "g", in: document).compactMap { attribute("data-method", of: $0) }
        XCTAssertEqual(methods, ["full re-exec", "stateless re-exec", "proof verify", "prove"])
        for polyline in try elements(named: "polyline", in: document) {
            let points = attribute("points", of: polyline) ?? ""
            XCTAssertEqual(points.split(separator: " ").count, 6, "one point per row")
        }
        let colours = try elements(named: "polyline", in: document).compactMap { attribute("stroke", of: $0) }
        XCTAssertEqual(Set(colours).count, 4, "distinct colours")
        XCTAssertFalse(svg.lowercased().contains("nan"), svg)
        XCTAssertFalse(svg.lowercased().contains("inf"), svg)
        XCTAssertTrue(svg.contains("&lt;Fancy &amp; &quot;Quoted&quot; CPU&gt;"))
        let texts = try elements(named: "text", in: document).map { $0.stringValue ?? "" }
        for label in ["10^3", "10^8", "1 µs", "VM steps executed per block (log scale)", "median time per block (log scale)", "proof verify"] {
            XCTAssertTrue(texts.contains(label), "missing text \(label) in \(texts)")
        }
    }

    func testSVGMapsDecadesToTheirGridlines() {
        let axis = LogAxis(covering: [1_000, 100_000_000], pixelLow: 90, pixelHigh: 700)
        XCTAssertEqual(axis.exponentLow, 3)
        XCTAssertEqual(axis.exponentHigh, 8)
        XCTAssertEqual(axis.pixel(1_000), 90, accuracy: 1e-9)
        XCTAssertEqual(axis.pixel(100_000_000), 700, accuracy: 1e-9)
        XCTAssertEqual(axis.pixel(100_000), 334, accuracy: 1e-9)
        let uneven = LogAxis(covering: [1_001, 99_999], pixelLow: 0, pixelHigh: 1)
        XCTAssertEqual([uneven.exponentLow, uneven.exponentHigh], [3, 5])
        let overhead = LogAxis(covering: [1_007, 100_000_007], pixelLow: 0, pixelHigh: 1)
        XCTAssertEqual([overhead.exponentLow, overhead.exponentHigh], [3, 8], "a few call-overhead steps do not add a decade")
        let zero = LogAxis(covering: [0], pixelLow: 0, pixelHigh: 1)
        XCTAssertEqual([zero.exponentLow, zero.exponentHigh], [0, 1])
        XCTAssertEqual(zero.pixel(0), 0)
    }

    func testSVGClampsZeroValuesAndHandlesEmptyReports() throws {
        let zero = row(0, full: 0, stateless: 0, verify: 0, prove: 0)
        for rows in [[zero], [zero, row(1_000, full: 0, stateless: 5, verify: 0, prove: 7)], []] {
            let svg = report(rows).svg()
            let document = try parse(svg)
            XCTAssertEqual(try elements(named: "polyline", in: document).count, 4)
            XCTAssertFalse(svg.lowercased().contains("nan"), svg)
        }
    }

    // MARK: - Single row and files

    func testSingleRowReport() throws {
        let single = report([row(1_000_000, full: 3_000_000, stateless: 4_000_000, verify: 60_000, prove: 9_000_000)])
        XCTAssertEqual(single.csv(), ReexecVsProofReport.csvHeader + "\n1000000,1000000,3000000,4000000,60000,9000000,100000,97,300,0\n")
        let markdown = single.markdown()
        XCTAssertTrue(markdown.contains("| 10^6 | 3.00 ms | 4.00 ms | 60.0 µs | 9.00 ms | 97.7 KiB | 97 B |"), markdown)
        XCTAssertTrue(markdown.contains("cheaper at every measured size than both stateless and full re-execution."), markdown)
        XCTAssertTrue(markdown.contains("takes 66.7x as long as proof verification, and full re-execution 50.0x."), markdown)
        let svg = single.svg()
        let document = try parse(svg)
        XCTAssertEqual(try elements(named: "polyline", in: document).count, 4)
        XCTAssertEqual(try elements(named: "circle", in: document).count, 2, "one marker for the row, one in the legend")
        XCTAssertFalse(svg.lowercased().contains("nan"))
    }

    func testWriteCreatesTheDirectoryAndThreeFiles() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("keel-bench-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let directory = base.appendingPathComponent("nested/out").path
        let written = report(crossingRows)
        try written.write(to: directory)
        try written.write(to: directory) // a second run replaces the files
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertEqual(names, ["reexec-vs-proof.csv", "reexec-vs-proof.md", "reexec-vs-proof.svg"])
        XCTAssertEqual(try String(contentsOfFile: directory + "/reexec-vs-proof.csv", encoding: .utf8), written.csv())
        XCTAssertEqual(try String(contentsOfFile: directory + "/reexec-vs-proof.md", encoding: .utf8), written.markdown())
        XCTAssertEqual(try String(contentsOfFile: directory + "/reexec-vs-proof.svg", encoding: .utf8), written.svg())
    }

    func testWriteReportsAPathItCannotCreate() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("keel-bench-file-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertThrowsError(try report(crossingRows).write(to: file.path + "/out")) { error in
            XCTAssertTrue("\(error)".contains(file.path), "\(error)")
        }
    }
}
