import Foundation
import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// Issue 5's promise: `keel light` follows a running `keel testnet` (node 0 proves) and prints
/// verified roots under both verifiers; `keel light account` checks a balance's proof.
final class LightNodeTestnetTests: TestnetTestCase {
    /// One verified-block line: "slot N  block HEX  state_root HEX  VERIFIER  T ms  vm_steps S".
    private struct BlockLine {
        var slot: UInt64
        var stateRoot: String
        var verifier: String

        init?(_ line: Substring) {
            let fields = line.split(separator: " ")
            guard fields.first == "slot", fields.count >= 9, let slot = UInt64(fields[1]) else { return nil }
            self.slot = slot
            stateRoot = String(fields[5])
            verifier = String(fields[6])
        }
    }

    func testLightNodeFollowsTheTestnetUnderBothVerifiersAndChecksAnAccount() throws {
        try harness.up(["--validators", "4", "--nodes", "4", "--slot-ms", "250"])
        let (status, finalized) = try harness.wait(90) { $0.finalizedEpoch(0) >= 1 }
        XCTAssertTrue(finalized, "the testnet finalizes")
        let node = "http://127.0.0.1:\(status.nodes[0].api_port)"
        // A block with a transaction, whose receipt the re-executing light node checks.
        let transfer = try CommandRunner.run(
            "keel", ["tx", "transfer", "--to", Address(DevnetKeys.secretKey(validatorIndex: 2).publicKey).hash.hex, "--amount", "5",
                     "--from", "1", "--node", node])
        XCTAssertEqual(transfer.status, 0, transfer.standardError)

        for verifier in ["proof", "reexec"] {
            let outcome = try CommandRunner.run(
                "keel", ["light", "--node", node, "--verify", verifier, "--until-finalized", "1", "--timeout", "60"]
                    + (verifier == "reexec" ? ["--check-receipts"] : []))
            XCTAssertEqual(outcome.status, 0, "\(verifier): \(outcome.standardError)")
            if verifier == "reexec" { XCTAssertTrue(outcome.standardError.contains("receipts"), outcome.standardError) }
            let lines = outcome.standardOutput.split(separator: "\n")
            let blocks = lines.compactMap(BlockLine.init)
            XCTAssertGreaterThanOrEqual(blocks.count, 8, "\(verifier): at least an epoch of blocks\n\(outcome.standardOutput)")
            XCTAssertTrue(blocks.allSatisfy { $0.verifier == verifier })
            XCTAssertEqual(blocks.map(\.slot), blocks.map(\.slot).sorted(), "oldest first")
            XCTAssertTrue(lines.contains { $0.contains("finalized epoch") }, outcome.standardOutput)
            if verifier == "proof" { XCTAssertTrue(outcome.standardError.contains("STUB"), "the stub says so") }
            // Each printed root is the node's own state root for that slot's block.
            let probe = try blockStateRoot(port: status.nodes[0].api_port, slot: try XCTUnwrap(blocks.last).slot)
            XCTAssertEqual(probe, blocks.last?.stateRoot)
        }

        let address = Address(DevnetKeys.secretKey(validatorIndex: 0).publicKey).hash.hex
        let account = try CommandRunner.run("keel", ["light", "account", address, "--node", node, "--from", "finalized"])
        XCTAssertEqual(account.status, 0, account.standardError)
        XCTAssertTrue(account.standardOutput.contains("balance"), account.standardOutput)
        XCTAssertTrue(account.standardOutput.contains("inclusion proof checked"), account.standardOutput)

        let receiptsWithProof = try CommandRunner.run("keel", ["light", "--node", node, "--check-receipts"])
        XCTAssertEqual(receiptsWithProof.status, 2, "receipts need re-execution")

        let unreachable = try CommandRunner.run("keel", ["light", "--node", "http://127.0.0.1:1", "--timeout", "5"])
        XCTAssertNotEqual(unreachable.status, 0)
        XCTAssertTrue(unreachable.standardError.contains("cannot reach node"), unreachable.standardError)
    }

    /// The state root of the canonical block at `slot`, from the node's API.
    private func blockStateRoot(port: Int, slot: UInt64) throws -> String? {
        let response = try XCTUnwrap(LoopbackProbe.http(port: port, path: "/blocks/\(slot)"))
        XCTAssertEqual(response.status, 200, response.body)
        // The body may arrive chunked, so the field is found by its text rather than parsed.
        guard let range = response.body.range(of: #""state_root":"[0-9a-f]{64}""#, options: .regularExpression) else { return nil }
        return String(response.body[range].dropFirst(14).dropLast())
    }

    /// The issue-12 promise: a testnet whose prover node proves with keel-stark-v1 serves proofs
    /// that `keel light --verify proof --proof-system stark` checks to finality, with VM calls in
    /// the blocks (each proven by a STARK of the call).
    func testLightNodeChecksStarkProofsToFinality() throws {
        try harness.up(["--validators", "4", "--nodes", "4", "--slot-ms", "400", "--proof-system", "stark"])
        let (status, started) = try harness.wait(60) { $0.nodes.allSatisfy { ($0.head_slot ?? 0) >= 1 } }
        XCTAssertTrue(started, "the testnet runs")
        let node = "http://127.0.0.1:\(status.nodes[0].api_port)"
        let deploy = try CommandRunner.run("keel", ["tx", "deploy", RepositoryPaths.programs + "/fibonacci.kasm", "--from", "0", "--node", node, "--json"])
        XCTAssertEqual(deploy.status, 0, deploy.standardError)
        let fibonacci = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(deploy.standardOutput.utf8)) as? [String: Any])?["program"] as? String)
        for n in [20, 30] {
            let call = try CommandRunner.run("keel", ["tx", "call", fibonacci, "--input", "\(n)", "--from", "1", "--node", node])
            XCTAssertEqual(call.status, 0, call.standardOutput + call.standardError)
        }
        let outcome = try CommandRunner.run(
            "keel", ["light", "--node", node, "--verify", "proof", "--proof-system", "stark", "--until-finalized", "2", "--timeout", "120"])
        XCTAssertEqual(outcome.status, 0, outcome.standardOutput + outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("keel-stark-v1"), outcome.standardError)
        let blocks = outcome.standardOutput.split(separator: "\n").compactMap(BlockLine.init)
        XCTAssertTrue(blocks.allSatisfy { $0.verifier == "proof" })
        XCTAssertTrue(outcome.standardOutput.split(separator: "\n").contains { $0.contains("finalized epoch") })
        let steps = outcome.standardOutput.split(separator: "\n").compactMap { line -> UInt64? in
            guard let range = line.range(of: "vm_steps ") else { return nil }
            return UInt64(line[range.upperBound...].prefix { $0.isNumber })
        }
        XCTAssertGreaterThan(steps.reduce(0, +), 100, "blocks with proven calls were checked\n\(outcome.standardOutput)")
    }
}
