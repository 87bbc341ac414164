import Foundation
import KeelTestSupport
import XCTest

/// `keel tool shuffle | proposer` against the phase0 reference vectors, through the built binary.
final class ToolCommandTests: XCTestCase {
    private func keel(_ arguments: String...) throws -> CommandRunner.Outcome {
        try CommandRunner.run("keel", arguments)
    }

    private func expectUsageError(_ outcome: CommandRunner.Outcome, containing text: String, line: UInt = #line) {
        XCTAssertEqual(outcome.status, 2, outcome.standardError, line: line)
        XCTAssertEqual(outcome.standardOutput, "", line: line)
        let lines = outcome.standardError.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on standard error: \(outcome.standardError)", line: line)
        XCTAssertTrue(outcome.standardError.contains(text), outcome.standardError, line: line)
    }

    /// The cases of a vector file, failing loudly (never skipping) when it is missing.
    private func vectorCases(_ name: String, line: UInt = #line) throws -> [[String: Any]] {
        let path = RepositoryPaths.vectors + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            XCTFail("vector file missing or unreadable at \(path)", line: line)
            throw CocoaError(.fileNoSuchFile)
        }
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try XCTUnwrap(object["cases"] as? [[String: Any]])
        XCTAssertFalse(cases.isEmpty, "no cases in \(path)", line: line)
        return cases
    }

    func testShuffleMatchesEveryReferenceCase() throws {
        let cases = try vectorCases("phase0-shuffle.json")
        XCTAssertEqual(cases.count, 9)
        for (number, vector) in cases.enumerated() {
            let seed = try XCTUnwrap(vector["seed"] as? String)
            let count = try XCTUnwrap(vector["count"] as? Int)
            let mapping = try XCTUnwrap(vector["mapping"] as? [Int])
            let outcome = try keel("tool", "shuffle", "--seed", seed, "--count", String(count))
            XCTAssertEqual(outcome.status, 0, "case \(number): \(outcome.standardError)")
            XCTAssertEqual(outcome.standardOutput, "[" + mapping.map(String.init).joined(separator: ",") + "]\n", "case \(number)")
        }
    }

    func testProposerMatchesEveryReferenceCase() throws {
        let cases = try vectorCases("phase0-proposer.json")
        XCTAssertEqual(cases.count, 30)
        for (number, vector) in cases.enumerated() {
            let seed = try XCTUnwrap(vector["seed"] as? String)
            let stakes = try XCTUnwrap(vector["stakes"] as? [Int])
            let maxStake = try XCTUnwrap(vector["max_stake"] as? Int)
            let index = try XCTUnwrap(vector["index"] as? Int)
            let outcome = try keel(
                "tool", "proposer", "--seed", seed, "--stakes", stakes.map(String.init).joined(separator: ","),
                "--max-stake", String(maxStake))
            XCTAssertEqual(outcome.status, 0, "case \(number): \(outcome.standardError)")
            XCTAssertEqual(outcome.standardOutput, "\(index)\n", "case \(number)")
        }
    }

    func testShuffleOfNothingIsAnEmptyArray() throws {
        let outcome = try keel("tool", "shuffle", "--seed", "0x" + String(repeating: "ab", count: 32), "--count", "0")
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertEqual(outcome.standardOutput, "[]\n")
    }

    func testMaxStakeDefaultsTo32() throws {
        let seed = String(repeating: "5a", count: 32)
        let explicit = try keel("tool", "proposer", "--seed", seed, "--stakes", "32,16,8,1", "--max-stake", "32")
        let implicit = try keel("tool", "proposer", "--seed", seed, "--stakes", "32,16,8,1")
        XCTAssertEqual(explicit.status, 0, explicit.standardError)
        XCTAssertEqual(implicit.standardOutput, explicit.standardOutput)
    }

    func testBadSeedsAreUsageErrors() throws {
        let good = String(repeating: "00", count: 32)
        for seed in ["", "xyz", String(good.dropLast()), good + "00", String(repeating: "g", count: 64)] {
            expectUsageError(try keel("tool", "shuffle", "--seed", seed, "--count", "3"), containing: "--seed")
            expectUsageError(try keel("tool", "proposer", "--seed", seed, "--stakes", "32"), containing: "--seed")
        }
    }

    func testBadStakesAreUsageErrors() throws {
        let seed = String(repeating: "11", count: 32)
        for stakes in ["", "32,,16", "a,b", "-1", "33", "32;16", "1.5", "99999999999999999999999"] {
            expectUsageError(try keel("tool", "proposer", "--seed", seed, "--stakes", stakes), containing: "--stakes")
        }
        expectUsageError(try keel("tool", "proposer", "--seed", seed, "--stakes", "1", "--max-stake", "0"), containing: "--max-stake")
    }

    func testBadCountsAreUsageErrors() throws {
        let seed = String(repeating: "22", count: 32)
        expectUsageError(try keel("tool", "shuffle", "--seed", seed, "--count", "4194305"), containing: "--count")
        expectUsageError(try keel("tool", "shuffle", "--seed", seed, "--count", "-1"), containing: "count")
        expectUsageError(try keel("tool", "shuffle", "--seed", seed, "--count", "many"), containing: "count")
        expectUsageError(try keel("tool", "shuffle", "--seed", seed), containing: "count")
    }
}
