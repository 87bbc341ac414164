import Foundation
import KeelTestSupport
import XCTest

/// A smoke run of `keel bench reexec-vs-proof`: small blocks, one run each, into a temporary
/// directory. The committed results come from a full run (README, "Light nodes").
final class ReexecVsProofCommandTests: XCTestCase {
    func testSmokeRunWritesTableCSVAndPlot() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("keel-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let outcome = try CommandRunner.run("keel", [
            "bench", "reexec-vs-proof", "--steps", "1e3,2e4", "--runs", "1", "--validators", "4", "--accounts", "16",
            "--out", out.path, "--program", RepositoryPaths.programs + "/fibonacci.kasm",
        ])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        let csv = try String(contentsOf: out.appendingPathComponent("reexec-vs-proof.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").compactMap { UInt64($0) } }
        XCTAssertEqual(rows.map { $0.first }, [1_000, 20_000])
        for row in rows {
            XCTAssertEqual(row.count, 10, csv)
            // vm_steps: just under the requested count (Fibonacci's loop is 5 instructions).
            XCTAssertGreaterThan(row[1], row[0] * 9 / 10)
            XCTAssertLessThanOrEqual(row[1], row[0])
            XCTAssertTrue(row[2...5].allSatisfy { $0 > 0 }, "every method was timed: \(row)")
        }
        let svg = try String(contentsOf: out.appendingPathComponent("reexec-vs-proof.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<svg") || svg.hasPrefix("<?xml"))
        let markdown = try String(contentsOf: out.appendingPathComponent("reexec-vs-proof.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("stub"), "the table says the proof backend is a stub")
        XCTAssertEqual(
            try CommandRunner.run("keel", ["bench", "reexec-vs-proof", "--steps", "1e9"]).status, 2, "over the per-call limit")
    }

    /// The same blocks with `--system stark`: real proofs of tens of kilobytes, proving slower
    /// than verifying, and a report that does not call its backend a stub.
    func testStarkSmokeRunWritesItsOwnFiles() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("keel-bench-stark-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let outcome = try CommandRunner.run("keel", [
            "bench", "reexec-vs-proof", "--system", "stark", "--steps", "1e3,2e4", "--runs", "1", "--validators", "4",
            "--accounts", "16", "--out", out.path, "--program", RepositoryPaths.programs + "/fibonacci.kasm",
        ])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        let csv = try String(contentsOf: out.appendingPathComponent("reexec-vs-proof-stark.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").compactMap { UInt64($0) } }
        XCTAssertEqual(rows.map { $0.first }, [1_000, 20_000])
        for row in rows {
            XCTAssertGreaterThan(row[7], 20_000, "a STARK of the call is tens of kilobytes: \(row)")
            XCTAssertGreaterThan(row[5], row[4], "proving costs more than verifying: \(row)")
            XCTAssertGreaterThan(row[9], 0, "the prover's peak memory is recorded")
        }
        let markdown = try String(contentsOf: out.appendingPathComponent("reexec-vs-proof-stark.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("keel-stark-v1"), markdown)
        XCTAssertFalse(markdown.contains("is a stub"), markdown)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("reexec-vs-proof.csv").path))
    }
}
