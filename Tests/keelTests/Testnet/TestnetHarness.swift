import Foundation
import KeelTestSupport
import XCTest

/// A `keel testnet` in a temporary directory, driven through the command line as a user
/// would: `up --detach`, `status --json`, `kill`, `restart`, `stop`.
///
/// ``close(printingLogsIf:)`` stops every node (and SIGKILLs any left from the pid files), and
/// prints the tail of each node's log when the test failed.
///
/// `@unchecked Sendable`: tests hand it to a thread off the concurrency pool for blocking
/// waits; only ``up(_:file:line:)`` mutates it, before that.
final class TestnetHarness: @unchecked Sendable {
    let directory: URL

    /// What `keel testnet status --json` says of one node.
    struct Node: Decodable {
        var node: Int
        var running: Bool
        var paused: Bool?
        var validators: [UInt64]
        var byzantine: Bool
        var p2p_port: Int
        var api_port: Int
        var head_slot: UInt64?
        var justified_epoch: UInt64?
        var finalized_epoch: UInt64?
        var finalized_root: String?
        var peers: Int?
        var last_error: String?
    }

    /// What `keel testnet status --json` says.
    struct Status: Decodable {
        var slot: UInt64
        var epoch: UInt64
        var slot_ms: UInt64
        var nodes: [Node]

        func finalizedEpoch(_ node: Int) -> UInt64 { nodes[node].finalized_epoch ?? 0 }
        func headSlot(_ node: Int) -> UInt64 { nodes[node].head_slot ?? 0 }
    }

    init(name: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-testnet-\(name)-\(UUID().uuidString)")
    }

    /// Runs `keel testnet SUBCOMMAND ... --dir DIR`.
    @discardableResult
    func run(_ arguments: [String]) throws -> CommandRunner.Outcome {
        try CommandRunner.run("keel", ["testnet"] + arguments + ["--dir", directory.path])
    }

    /// `keel testnet up --detach` with `arguments`, failing the test if it does not start.
    func up(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let outcome = try run(["up", "--detach"] + arguments)
        XCTAssertEqual(outcome.status, 0, "keel testnet up: \(outcome.standardError)", file: file, line: line)
    }

    func status() throws -> Status {
        let outcome = try run(["status", "--json"])
        guard outcome.status == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey: outcome.standardError]) }
        return try JSONDecoder().decode(Status.self, from: Data(outcome.standardOutput.utf8))
    }

    /// Polls the status every 200 ms until `condition` holds or `timeoutSeconds` pass; returns
    /// the last status seen and whether the condition held.
    func wait(_ timeoutSeconds: Double, until condition: (Status) -> Bool) throws -> (Status, Bool) {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var last = try status()
        while !condition(last) {
            guard Date() < deadline else { return (last, false) }
            Thread.sleep(forTimeInterval: 0.2)
            last = try status()
        }
        return (last, true)
    }

    /// Sleeps for `epochs` epochs of this testnet.
    func sleep(epochs: Double, of status: Status) {
        Thread.sleep(forTimeInterval: epochs * Double(status.slot_ms) * 8 / 1_000)
    }

    /// Stops everything; prints each node's log tail if `failed`; removes the directory.
    func close(printingLogsIf failed: Bool) {
        _ = try? run(["stop"])
        let nodeCount = (0..<64).filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent("node\($0)").path) }.count
        for node in 0..<nodeCount {
            let pidFile = directory.appendingPathComponent("node\(node)/pid")
            guard let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                String(decoding: cmdline, as: UTF8.self).contains(directory.path)
            else { continue }
            kill(pid, SIGKILL)
        }
        if failed {
            for node in 0..<nodeCount {
                let log = (try? String(contentsOf: directory.appendingPathComponent("node\(node)/node.log"), encoding: .utf8)) ?? ""
                print("--- node \(node) log (last 30 lines) ---")
                print(log.split(separator: "\n").suffix(30).joined(separator: "\n"))
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Minimal raw-socket clients for the tests: an HTTP/1.1 request, or arbitrary bytes.
enum LoopbackProbe {
    /// Connects to 127.0.0.1:`port`, writes `bytes`, and reads until the peer closes or
    /// `timeoutSeconds` pass. Returns what was read (nil if the connection failed).
    static func exchange(port: Int, bytes: [UInt8], timeoutSeconds: Int = 3) -> [UInt8]? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { break }
            written += count
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            received += buffer[..<count]
        }
        return received
    }

    /// `GET path` (or another method with a body); returns the status code and the body.
    static func http(port: Int, method: String = "GET", path: String, body: String = "") -> (status: Int, body: String)? {
        let request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        guard let response = exchange(port: port, bytes: Array(request.utf8)) else { return nil }
        let text = String(decoding: response, as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        guard let statusLine = parts.first?.split(separator: "\r\n").first, statusLine.split(separator: " ").count >= 2,
            let code = Int(statusLine.split(separator: " ")[1])
        else { return nil }
        return (code, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}
