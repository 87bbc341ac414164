import Foundation
import KeelCrypto
import KeelNode
import KeelTestSupport
import XCTest

/// `keel node` as a real process: its flags, keys-file and API errors, and a clean SIGTERM.
/// Multi-node behaviour (finality, kills, restarts, slashing) is tested through
/// `keel testnet` in Testnet/TestnetScenarioTests.swift.
///
/// A node reports through `--status-file`; its log goes to a file in the test's directory
/// and is printed on failure.
final class NodeProcessTests: XCTestCase {
    private var directory: URL!
    private var processes: [Int: Process] = [:]
    private var arguments: [Int: [String]] = [:]

    private static let nodeCount = 4
    private static let slotMs = 250

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-node-proc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        for process in processes.values where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        processes = [:]
        // nil when the test was skipped before setUp made it.
        guard let directory else { return }
        if (testRun?.failureCount ?? 0) > 0 {
            for index in 0..<Self.nodeCount {
                let log = (try? String(contentsOf: logURL(index), encoding: .utf8)) ?? ""
                print("--- node \(index) log (last 40 lines) ---")
                print(log.split(separator: "\n").suffix(40).joined(separator: "\n"))
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private func logURL(_ index: Int) -> URL { directory.appendingPathComponent("node\(index).log") }
    private func statusURL(_ index: Int) -> URL { directory.appendingPathComponent("node\(index).status.json") }

    private func launch(_ index: Int) throws {
        let process = Process()
        process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("keel")
        process.arguments = arguments[index]
        if !FileManager.default.fileExists(atPath: logURL(index).path) {
            _ = FileManager.default.createFile(atPath: logURL(index).path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logURL(index))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        processes[index] = process
    }

    private struct Status: Decodable, Equatable {
        var slot: UInt64
        var finalized_epoch: UInt64
        var finalized_root: String
        var api_port: Int?
        var validators: Int?
    }

    private func status(_ index: Int) -> Status? {
        guard let data = try? Data(contentsOf: statusURL(index)) else { return nil }
        return try? JSONDecoder().decode(Status.self, from: data)
    }

    /// Polls every 100 ms until `condition` holds or `timeoutSeconds` pass.
    private func wait(_ timeoutSeconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition()
    }

    /// Writes a 4-validator genesis file and returns its path.
    private func makeGenesis() throws -> String {
        let genesis = directory.appendingPathComponent("genesis.json").path
        let made = try CommandRunner.run(
            "keel",
            [
                "genesis", "--validators", "\(Self.nodeCount)", "--slot-ms", "\(Self.slotMs)", "--genesis-time-ms", "0",
                "--randao-chain-length", "256", "--programs", directory.path, "-o", genesis,
            ])
        XCTAssertEqual(made.status, 0, made.standardError)
        return genesis
    }

    func testValidatorsAndValidatorKeysAreMutuallyExclusive() throws {
        let keys = directory.appendingPathComponent("keys.json").path
        try Data(#"{"version":1,"keys":[]}"#.utf8).write(to: URL(fileURLWithPath: keys))
        let outcome = try CommandRunner.run(
            "keel",
            [
                "node", "--genesis", directory.appendingPathComponent("genesis.json").path, "--data-dir",
                directory.appendingPathComponent("data").path, "--listen", "127.0.0.1:0", "--validators", "0",
                "--validator-keys", keys,
            ])
        XCTAssertEqual(outcome.status, 2, outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("mutually exclusive"), outcome.standardError)
        XCTAssertEqual(outcome.standardError.split(separator: "\n").count, 1, "one line: \(outcome.standardError)")
    }

    func testABadValidatorKeysFileIsAUsageError() throws {
        let genesis = try makeGenesis()
        let keys = directory.appendingPathComponent("keys.json").path
        // Validator 5 is not in a 4-validator genesis.
        let key = String(repeating: "11", count: 32)
        try Data(#"{"version":1,"keys":[{"index":5,"secret_key":"\#(key)"}]}"#.utf8).write(to: URL(fileURLWithPath: keys))
        let dataDir = directory.appendingPathComponent("data").path
        let outOfRange = try CommandRunner.run(
            "keel", ["node", "--genesis", genesis, "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--validator-keys", keys])
        XCTAssertEqual(outOfRange.status, 2, outOfRange.standardError)
        XCTAssertTrue(outOfRange.standardError.contains("--validator-keys: \(keys): keys[0].index"), outOfRange.standardError)

        try Data(#"{"version":1,"keys":[{"index":1,"secret_key":"nothex"}]}"#.utf8).write(to: URL(fileURLWithPath: keys))
        let badHex = try CommandRunner.run(
            "keel", ["node", "--genesis", genesis, "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--validator-keys", keys])
        XCTAssertEqual(badHex.status, 2, badHex.standardError)
        XCTAssertTrue(badHex.standardError.contains("keys[0].secret_key: not hex"), badHex.standardError)
    }

    func testOneNodeWithAnAPIOnPortZeroStopsCleanlyOnSIGTERM() throws {
        let genesis = try makeGenesis()
        let keys = directory.appendingPathComponent("keys.json").path
        let entries = (0..<Self.nodeCount).map { #"{"index":\#($0),"secret_key":"\#(Self.devnetKeyHex[$0])"}"# }
        try Data(#"{"version":1,"keys":[\#(entries.joined(separator: ","))]}"#.utf8).write(to: URL(fileURLWithPath: keys))
        arguments[0] = [
            "node", "--genesis", genesis, "--data-dir", directory.appendingPathComponent("data0").path,
            "--listen", "127.0.0.1:0", "--api", "127.0.0.1:0", "--validator-keys", keys,
            "--genesis-time-ms", "\(UInt64(Date().timeIntervalSince1970 * 1000) + 300)", "--status-file", statusURL(0).path,
        ]
        try launch(0)
        XCTAssertTrue(wait(30) { (status(0)?.api_port ?? 0) > 0 }, "the status file shows the bound API port")
        XCTAssertEqual(status(0)?.validators, Self.nodeCount)
        let log = (try? String(contentsOf: logURL(0), encoding: .utf8)) ?? ""
        XCTAssertTrue(log.contains("API listening"), log)
        let process = processes[0]!
        process.terminate()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }

    func testAnAPIAddressInUseIsAnError() throws {
        let genesis = try makeGenesis()
        // Hold a listening socket on a port, then ask the node's API for it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        XCTAssertTrue(listening)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let outcome = try CommandRunner.run(
            "keel",
            [
                "node", "--genesis", genesis, "--data-dir", directory.appendingPathComponent("data").path,
                "--listen", "127.0.0.1:0", "--api", "127.0.0.1:\(port)",
                "--genesis-time-ms", "\(UInt64(Date().timeIntervalSince1970 * 1000) + 60_000)",
            ])
        XCTAssertNotEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("cannot serve the API on 127.0.0.1:\(port)"), outcome.standardError)
    }

    /// The devnet secret keys of validators 0...3 (`DevnetKeys`), as a keys file holds them.
    private static let devnetKeyHex = (0..<UInt64(nodeCount)).map { Hex.encode(DevnetKeys.secretKey(validatorIndex: $0).bytes) }

    func testATemplateGenesisTimeNeedsAnOverride() throws {
        let genesis = try makeGenesis()
        let outcome = try CommandRunner.run(
            "keel",
            ["node", "--genesis", genesis, "--data-dir", directory.appendingPathComponent("data").path, "--listen", "127.0.0.1:0"])
        XCTAssertEqual(outcome.status, 2, outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("--genesis-time-ms"), outcome.standardError)
    }
}
