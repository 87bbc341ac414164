import Foundation
import KeelChain
import KeelCrypto
import KeelLight
import KeelTestSupport
import KeelVM
import XCTest

/// `keel tx` and the node's receipts and events on a live 4-node testnet (250 ms slots): every
/// example program deployed and called with the outputs and storage `keel vm run` gives, a
/// transfer moving exactly its amount and fee, a faulting call keeping its fee and reverting
/// storage, bad input refused with a reason and no effect, and an event subscriber seeing heads,
/// finality and a byzantine node's slashings.
final class TxCommandTests: TestnetTestCase {
    /// Runs `keel tx ARGS --dir DIR`.
    private func tx(_ arguments: [String]) throws -> CommandRunner.Outcome {
        try CommandRunner.run("keel", ["tx"] + arguments + ["--dir", harness.directory.path])
    }

    /// `keel tx ... --json`, which must succeed, as a JSON object.
    private func txJSON(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let outcome = try tx(arguments + ["--json"])
        XCTAssertEqual(outcome.status, 0, outcome.standardError, file: file, line: line)
        return try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any], outcome.standardOutput,
            file: file, line: line)
    }

    private func apiPort(_ node: Int) throws -> Int { try harness.status().nodes[node].api_port }

    private func getJSON(_ path: String, node: Int = 0) throws -> [String: Any] {
        let response = try XCTUnwrap(LoopbackProbe.http(port: try apiPort(node), path: path), path)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any], response.body)
    }

    private func balance(_ address: String) throws -> UInt64 {
        UInt64(try XCTUnwrap(try getJSON("/accounts/\(address)")["balance"] as? String)) ?? 0
    }

    /// Deploys `program`, calls it with `input` and checks the receipts against `keel vm run`.
    private func deployAndCall(_ program: String, input: [UInt32], from account: Int) throws {
        let deployed = try txJSON(["deploy", program, "--from", "\(account)"])
        XCTAssertEqual(deployed["status"] as? String, "success", program)
        XCTAssertEqual(deployed["kind"] as? String, "deploy")
        let address = try XCTUnwrap(deployed["program"] as? String, program)
        let sender = Address(DevnetKeys.secretKey(validatorIndex: UInt64(account)).publicKey)
        XCTAssertEqual(address, Address.program(deployer: sender, nonce: UInt64(try XCTUnwrap(deployed["nonce"] as? Int))).hash.hex)

        let inputText = input.map(String.init).joined(separator: ",")
        let called = try txJSON(["call", address, "--input", inputText, "--from", "\(account)"])
        let run = try CommandRunner.run("keel", ["vm", "run", program, "--json"] + (input.isEmpty ? [] : ["--input", inputText]))
        let reference = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        XCTAssertEqual(called["status"] as? String, "success", program)
        XCTAssertEqual(called["output"] as? [Int], reference["output"] as? [Int], "\(program): the chain's output is the VM's")
        XCTAssertEqual(called["steps"] as? Int, reference["steps"] as? Int, program)
        let stored = try getJSON("/programs/\(address)")["storage"] as? [Int]
        XCTAssertEqual(stored, reference["storage"] as? [Int], "\(program): the chain's storage is the VM's")
    }

    func testProgramsTransfersFaultsAndBadInputThroughKeelTx() throws {
        try harness.up(Self.fourNodes)
        let accounts = try tx(["accounts", "--json"])
        XCTAssertEqual(accounts.status, 0, accounts.standardError)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(accounts.standardOutput.utf8)) as? [Any])?.count, 4)

        // Every example program, with inputs 1, 2, 3, ... (a round count of 1 where one comes first).
        for name in try FileManager.default.contentsOfDirectory(atPath: RepositoryPaths.programs).sorted() where name.hasSuffix(".kasm") {
            let path = RepositoryPaths.programs + "/" + name
            let program = try Assembler.assemble(String(contentsOfFile: path, encoding: .utf8))
            try deployAndCall(path, input: (0..<program.inputCount).map { $0 + 1 }, from: 0)
        }

        // A program with storage: the call's storage changes are the VM's.
        let counter = harness.directory.appendingPathComponent("counter.kasm")
        try ".memory 4\n.storage 2\n.inputs 1\n    add r1, r0, r2\n    add r0, r0, 1\n    halt\n".write(to: counter, atomically: true, encoding: .utf8)
        try deployAndCall(counter.path, input: [41], from: 1)

        // A transfer to a fresh address moves exactly the amount; the sender pays amount and fee
        // (and gets the fee back only if it was the block's proposer).
        let recipient = SHA256.hash(Array("keel/test/recipient".utf8)).hex
        let sender = Address(DevnetKeys.secretKey(validatorIndex: 2).publicKey).hash.hex
        let before = try balance(sender)
        let transfer = try txJSON(["transfer", "--to", recipient, "--amount", "12345", "--fee", "77", "--from", "2"])
        XCTAssertEqual(transfer["fee_paid"] as? String, "77")
        XCTAssertEqual(try balance(recipient), 12_345)
        let block = try getJSON("/blocks/\(try XCTUnwrap(transfer["block_root"] as? String))")
        let proposerPaid = (block["proposer_index"] as? Int) == 2 ? 0 : 77
        XCTAssertEqual(before - (try balance(sender)), UInt64(12_345 + proposerPaid), "amount plus the fee, nothing else")

        // A call that faults keeps its fee and leaves storage as it was; the receipt names the fault.
        let looping = harness.directory.appendingPathComponent("looping.kasm")
        try ".memory 4\n.storage 1\n.inputs 1\nloop:\n    add r0, r0, r1\n    jump 1, loop\n".write(to: looping, atomically: true, encoding: .utf8)
        let loop = try txJSON(["deploy", looping.path, "--from", "3"])
        let loopAddress = try XCTUnwrap(loop["program"] as? String)
        let faulted = try txJSON(["call", loopAddress, "--input", "5", "--max-steps", "50", "--from", "3"])
        XCTAssertEqual(faulted["status"] as? String, "fault")
        XCTAssertEqual(faulted["fault"] as? String, "step_limit")
        XCTAssertEqual(faulted["fee_paid"] as? String, "50", "the step limit times the fee per step, kept")
        XCTAssertEqual((faulted["storage_changes"] as? [Any])?.count, 0)
        XCTAssertEqual(try getJSON("/programs/\(loopAddress)")["storage"] as? [Int], [0], "storage reverted")

        // Bad input: a clear error, and nothing changes (the nonce stays).
        let nonceBefore = try getJSON("/accounts/\(sender)")["nonce"] as? Int
        let wrongInputs = try tx(["call", loopAddress, "--input", "1,2", "--from", "2"])
        XCTAssertEqual(wrongInputs.status, 1)
        XCTAssertTrue(wrongInputs.standardError.contains("refused") && wrongInputs.standardError.contains("input"), wrongInputs.standardError)
        let unknownProgram = try tx(["call", recipient, "--from", "2"])
        XCTAssertEqual(unknownProgram.status, 1)
        XCTAssertTrue(unknownProgram.standardError.contains("refused"), unknownProgram.standardError)
        XCTAssertEqual(try tx(["transfer", "--to", "zz", "--amount", "1", "--from", "2"]).status, 2)
        XCTAssertEqual(try tx(["transfer", "--to", recipient, "--amount", "1"]).status, 2, "no signer")
        XCTAssertEqual(try tx(["transfer", "--to", recipient, "--amount", "1", "--from", "9"]).status, 2, "no devnet account 9")
        let tooMuch = try tx(["transfer", "--to", recipient, "--amount", "\(UInt64.max / 2)", "--from", "2"])
        XCTAssertEqual(tooMuch.status, 1)
        XCTAssertTrue(tooMuch.standardError.contains("balance"), tooMuch.standardError)
        let keyFile = harness.directory.appendingPathComponent("open-key.json")
        try #"{"secret_key": "\#(Hex.encode(DevnetKeys.secretKey(validatorIndex: 2).bytes))"}"#.write(to: keyFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile.path)
        let openKey = try tx(["transfer", "--to", recipient, "--amount", "1", "--key", keyFile.path])
        XCTAssertEqual(openKey.status, 2)
        XCTAssertTrue(openKey.standardError.contains("readable by others"), openKey.standardError)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
        let withKey = try txJSON(["transfer", "--to", recipient, "--amount", "1", "--key", keyFile.path])
        XCTAssertEqual(withKey["sender"] as? String, sender, "a key file signs for its account")
        XCTAssertEqual(try getJSON("/accounts/\(sender)")["nonce"] as? Int, (nonceBefore ?? 0) + 1, "only the good transfer spent a nonce")
        let unknown = try tx(["status", recipient])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.standardOutput.contains("unknown"), unknown.standardOutput)

        // A deposit makes validator 4 and writes its keys file; an exit by the withdrawal account.
        let keysOut = harness.directory.appendingPathComponent("new-validator.json")
        let deposit = try txJSON(["deposit", "--from", "0", "--keys-out", keysOut.path])
        XCTAssertEqual(deposit["validator_index"] as? Int, 4)
        XCTAssertEqual(deposit["validator_created"] as? Bool, true)
        let mode = try FileManager.default.attributesOfItem(atPath: keysOut.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertTrue(try String(contentsOf: keysOut, encoding: .utf8).contains(#""index": 4"#))
        XCTAssertEqual(try getJSON("/validators/4")["status"] as? String, "pending")
        XCTAssertEqual(try tx(["deposit", "--from", "0", "--keys-out", keysOut.path]).status, 2, "an existing keys file is not overwritten")
        let wrongExit = try tx(["exit", "2", "--from", "3"])
        XCTAssertEqual(wrongExit.status, 1)
        XCTAssertTrue(wrongExit.standardError.contains("withdrawal account"), wrongExit.standardError)
        let exit = try txJSON(["exit", "3", "--from", "3"])
        XCTAssertEqual(exit["kind"] as? String, "exit")
        XCTAssertEqual(exit["validator_index"] as? Int, 3)
        XCTAssertEqual(try getJSON("/validators/3")["status"] as? String, "exiting")

        // The events command prints the stream.
        let events = try harness.run(["events", "--topics", "head", "--count", "3"])
        XCTAssertEqual(events.status, 0, events.standardError)
        let lines = events.standardOutput.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, events.standardOutput)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("head {") }, events.standardOutput)
    }

    /// A subscriber of node 0 sees heads, finality and the slashing of node 3, which runs
    /// byzantine (double votes, and double proposals until a slashing lands: whichever evidence
    /// comes first slashes it, so the test waits for one of the two kinds).
    func testAnEventSubscriberSeesHeadsFinalityAndAByzantineNodesSlashings() throws {
        try harness.up(Self.fourNodes + ["--byzantine", "3"])
        let client = LightHTTPClient(baseURL: try NodeURL("http://127.0.0.1:\(try apiPort(0))"))
        let seen = SeenTopics()
        let wanted: Set<String> = ["head", "finalized_checkpoint"]
        let slashings: Set<String> = ["attester_slashing", "proposer_slashing"]
        let streaming = Task {
            try await client.stream("/events?topics=head,finalized_checkpoint,attester_slashing,proposer_slashing") { bytes in
                seen.feed(bytes)
            }
        }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !(seen.topics.isSuperset(of: wanted) && !seen.topics.isDisjoint(with: slashings)) {
            Thread.sleep(forTimeInterval: 0.2)
        }
        streaming.cancel()
        XCTAssertEqual(seen.topics.intersection(wanted), wanted, "seen: \(seen.topics.sorted())")
        let data = seen.firstData
        if let attester = data["attester_slashing"] {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(attester.utf8)) as? [String: Any])
            let votes = try [1, 2].map { try XCTUnwrap(object["attestation_\($0)"] as? [String: Any]) }
            XCTAssertEqual(votes.map { $0["validator_index"] as? Int }, [3, 3], "the byzantine node's validator, twice")
            let data = try votes.map { try JSONSerialization.data(withJSONObject: try XCTUnwrap($0["data"]), options: .sortedKeys) }
            XCTAssertNotEqual(data[0], data[1], "two different votes")
        } else if let proposer = data["proposer_slashing"] {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(proposer.utf8)) as? [String: Any])
            let headers = try [1, 2].map { try XCTUnwrap((object["signed_header_\($0)"] as? [String: Any])?["message"] as? [String: Any]) }
            XCTAssertEqual(headers.map { $0["proposer_index"] as? Int }, [3, 3], "the byzantine node's validator, twice")
        } else {
            XCTFail("no slashing event within 60 s; seen: \(seen.topics.sorted())")
        }
    }
}

/// The topics of a server-sent event stream seen so far, with each topic's first data line.
private final class SeenTopics: @unchecked Sendable {
    private let lock = NSLock()
    private var reader = ServerSentEventReader()
    private var seenTopics: Set<String> = []
    private var data: [String: String] = [:]

    var topics: Set<String> { lock.withLock { seenTopics } }
    var firstData: [String: String] { lock.withLock { data } }

    func feed(_ bytes: [UInt8]) {
        lock.withLock {
            for (event, line) in reader.feed(bytes) {
                seenTopics.insert(event)
                if data[event] == nil { data[event] = line }
            }
        }
    }
}
