import Foundation
import KeelChain
import Logging
import XCTest

@testable import KeelNode

/// One in-process node running all four validators of a devnet (250 ms slots, no peers): its
/// `NodeMetrics` follow the chain, its status file carries the new fields, and an `APIServer`
/// over it answers with the node's head.
final class NodeObservabilityTests: InProcessNodeTestCase {



    private static let slotMs: UInt64 = 250
    private static let headSlotWanted: UInt64 = 3

    private var statusPath: String { directory.appendingPathComponent("status.json").path }

    /// Starts a node running validators 0...3 from a keys file's keys (genesis in 300 ms).
    private func startNode() async throws -> Node {
        let genesis = GenesisFile.devnet(
            validatorCount: 4, stake: Stake(32 * Preset.devnet.stakeUnit), slotMs: Self.slotMs, preset: .devnet,
            genesisTimeMs: 0, randaoChainLength: 256, programs: [])
        let keys = ValidatorKeysFile.devnet(indices: (0..<4).map { ValidatorIndex(UInt64($0)) })
        try keys.validate(against: genesis)
        var config = NodeConfig(genesis: genesis, dataDirectory: directory.appendingPathComponent("data").path)
        config.genesisTimeMs = SlotClock.systemNowMs() + 300
        config.validatorKeys = keys.keys
        config.statusFilePath = statusPath
        var logger = Logger(label: "keel.node")
        logger.logLevel = .warning
        let node = try Node(config: config, logger: logger)
        self.node = node
        try await node.start()
        return node
    }

    /// The value of the sample line `name value` in a Prometheus exposition.
    private static func sample(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == name { return Double(parts[1]) }
        }
        return nil
    }

    func testMetricsFollowTheChain() async throws {
        let node = try await startNode()
        let reached = try await poll { await node.head.slot.rawValue >= Self.headSlotWanted }
        let headSlot = await node.head.slot
        XCTAssertTrue(reached, "head slot \(headSlot) reaches \(Self.headSlotWanted)")
        let text = node.metrics.exposition()
        XCTAssertGreaterThanOrEqual(Self.sample("keel_head_slot", in: text) ?? -1, Double(Self.headSlotWanted), text)
        XCTAssertGreaterThanOrEqual(Self.sample("keel_block_import_seconds_count", in: text) ?? -1, 1, text)
        XCTAssertEqual(Self.sample("keel_peer_count", in: text), 0, text)
        XCTAssertEqual(Self.sample("keel_signing_refusals_total", in: text), 0, text)

        // The status file: the old fields and the new ones.
        var status: [String: Any] = [:]
        let written = try await poll {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: self.statusPath)),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return false }
            status = object
            return (object["head_slot"] as? NSNumber)?.intValue ?? 0 >= 1
        }
        XCTAssertTrue(written, "the status file is written")
        for field in ["slot", "head_slot", "head_root", "justified_epoch", "finalized_epoch", "finalized_root", "peers", "port"] {
            XCTAssertNotNil(status[field], "status file field \(field): \(status)")
        }
        XCTAssertEqual((status["validators"] as? NSNumber)?.intValue, 4)
        XCTAssertTrue(status["api_port"] is NSNull, "no API: \(status)")
        XCTAssertTrue(status["last_error"] is NSNull, "no problem yet: \(status)")
    }

    /// A clock set back behind the head: the node skips the duties of a slot the chain has
    /// passed, and says so, instead of voting on a state from that slot's future (which trapped).
    func testAttestingForASlotBehindTheHeadIsSkipped() async throws {
        let node = try await startNode()
        let reached = try await poll { await node.head.slot.rawValue >= 2 }
        XCTAssertTrue(reached, "the node produces blocks")
        await node.attest(Slot(1))
        let lastError = await node.lastError
        XCTAssertTrue(lastError?.contains("the clock is behind the head") == true, lastError ?? "no error")
    }

    func testLastErrorIsShownEscapedInTheStatusFile() async throws {
        let node = try await startNode()
        await node.logProblem(.warning, "invalid block", metadata: ["reason": "a \"quoted\"\nreason\\"])
        let lastError = await node.lastError
        XCTAssertEqual(lastError, "invalid block reason=a \"quoted\"\nreason\\")
        let shown = try await poll {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: self.statusPath)),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return false }
            return object["last_error"] as? String == lastError
        }
        XCTAssertTrue(shown, "the status file shows the last error")
    }

    func testAPIServerOverTheNodeAnswersWithItsHead() async throws {
        let node = try await startNode()
        let server = APIServer(host: "127.0.0.1", port: 0, view: NodeChainView(node: node), metrics: node.metrics)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run { port in continuation.yield(port) } }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let bound = await iterator.next()
        let port = try XCTUnwrap(bound)
        await node.apiStarted(host: "127.0.0.1", port: port)
        let apiPort = await node.apiPort
        XCTAssertEqual(apiPort, port)
        let reached = try await poll { await node.head.slot.rawValue >= 1 }
        XCTAssertTrue(reached, "the node imports a block")

        let before = await node.head.slot.rawValue
        let (status, body) = try await Self.get(port: port, path: "/chain/head")
        let after = await node.head.slot.rawValue
        XCTAssertEqual(status, 200, body)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], body)
        let slot = try XCTUnwrap((object["slot"] as? NSNumber)?.uint64Value, body)
        // The chain may move between the reads; the API's answer lies between them.
        XCTAssertGreaterThanOrEqual(slot, before, body)
        XCTAssertLessThanOrEqual(slot, after, body)

        let (metricsStatus, metricsText) = try await Self.get(port: port, path: "/metrics")
        XCTAssertEqual(metricsStatus, 200)
        XCTAssertGreaterThanOrEqual(Self.sample("keel_head_slot", in: metricsText) ?? -1, Double(before), "the same metrics")
        task.cancel()
        _ = try? await task.value
    }

    /// One HTTP/1.1 GET over a plain socket, with `Connection: close`: the status code and the
    /// body (no FoundationNetworking needed).
    private static func get(port: Int, path: String) async throws -> (Int, String) {
        try await Task.detached {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw POSIXError(.EIO) }
            defer { close(fd) }
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            guard connected else { throw POSIXError(.ECONNREFUSED) }
            let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
            guard send(fd, request, request.count, 0) == request.count else { throw POSIXError(.EIO) }
            var response: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while response.count < 1 << 20 {
                let count = recv(fd, &buffer, buffer.count, 0)
                guard count > 0 else { break }
                response += buffer[0..<count]
            }
            let text = String(decoding: response, as: UTF8.self)
            guard let split = text.range(of: "\r\n\r\n") else { throw POSIXError(.EPROTO) }
            let statusLine = text[..<split.lowerBound].split(separator: "\r\n").first ?? ""
            let code = statusLine.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return (code, String(text[split.upperBound...]))
        }.value
    }
}
