import Foundation
import KeelChain
import KeelCrypto
@testable import KeelNode
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Messages, blocks and configurations for the peer-to-peer tests.
enum P2PFixtures {
    static let genesisRoot = SHA256.hash(Array("keel/p2p-test-genesis".utf8))
    static let status = ChainStatus(
        headRoot: genesisRoot, headSlot: 0, finalized: Checkpoint(epoch: 0, root: genesisRoot))

    static func root(_ seed: UInt64) -> Root {
        SHA256.hash(withUnsafeBytes(of: seed.littleEndian, Array.init))
    }

    static func signature(_ seed: UInt64) -> Signature {
        Signature(bytes: root(seed).bytes + root(seed &+ 1).bytes)!
    }

    /// A block at `slot` (not a valid one: the network does not check content).
    static func block(slot: UInt64, parent: Root = .zero, transactionCount: Int = 0, codeByteCount: Int = 0) -> SignedBlock {
        let transactions = (0..<transactionCount).map { index in
            transaction(nonce: UInt64(index), codeByteCount: codeByteCount)
        }
        let body = BlockBody(randaoReveal: root(slot), transactions: transactions)
        let block = Block(slot: Slot(slot), proposerIndex: 1, parentRoot: parent, stateRoot: root(slot + 1000), body: body)
        return SignedBlock(message: block, signature: signature(slot))
    }

    static func transaction(nonce: UInt64, codeByteCount: Int = 0) -> SignedTransaction {
        let kind: TransactionKind = codeByteCount > 0
            ? .deploy(code: [UInt8](repeating: UInt8(truncatingIfNeeded: nonce), count: codeByteCount))
            : .transfer(recipient: Address(root(nonce)), amount: Stake(nonce))
        let message = Transaction(sender: Address(root(7)), nonce: nonce, fee: Stake(1), kind: kind)
        return SignedTransaction(message: message, signature: signature(nonce))
    }

    static func attestation(_ seed: UInt64) -> Attestation {
        let data = AttestationData(
            slot: Slot(seed), beaconBlockRoot: root(seed),
            source: Checkpoint(epoch: 0, root: root(1)), target: Checkpoint(epoch: 1, root: root(2)))
        return Attestation(validatorIndex: ValidatorIndex(seed), data: data, signature: signature(seed))
    }

    static func hello(genesisRoot: Root = genesisRoot, nodeID: UInt64 = 99) -> Hello {
        Hello(
            protocolVersion: WireLimits.protocolVersion, genesisRoot: genesisRoot, status: status, nodeID: nodeID,
            listenPort: 0)
    }

    /// A configuration with timeouts short enough for tests.
    static func config(nodeID: UInt64, genesisRoot: Root = genesisRoot, dial: [Int] = []) -> PeerNetworkConfig {
        var config = PeerNetworkConfig(genesisRoot: genesisRoot, nodeID: nodeID)
        config.bootstrapPeers = dial.map { PeerAddress(host: "127.0.0.1", port: $0) }
        config.handshakeTimeoutMs = 300
        config.requestTimeoutMs = 500
        config.redialDelayMsMin = 20
        config.redialDelayMsMax = 200
        return config
    }

    /// The bytes of one frame.
    static func frameBytes(_ message: WireMessage) -> [UInt8] {
        frameBytes(payload: message.encoded)
    }

    static func frameBytes(payload: [UInt8], version: UInt8 = WireLimits.protocolVersion) -> [UInt8] {
        withUnsafeBytes(of: UInt32(payload.count + 1).littleEndian, Array.init) + [version] + payload
    }
}

/// A block store for serving requests: blocks by slot and by root.
struct TestBlockProvider: BlockProvider {
    let blocks: [SignedBlock]

    func blocksByRange(startSlot: Slot, count: UInt64) async -> [SignedBlock] {
        blocks.filter { $0.message.slot >= startSlot && $0.message.slot.rawValue - startSlot.rawValue < count }
            .sorted { $0.message.slot < $1.message.slot }
    }

    func blocksByRoot(_ roots: [Root]) async -> [SignedBlock] {
        let wanted = Set(roots)
        return blocks.filter { wanted.contains($0.message.hashTreeRoot) }
    }
}

/// A provider that answers wrongly: blocks outside the asked range, and unrequested roots.
struct LyingBlockProvider: BlockProvider {
    func blocksByRange(startSlot: Slot, count: UInt64) async -> [SignedBlock] {
        [P2PFixtures.block(slot: startSlot.rawValue + count + 5)]
    }

    func blocksByRoot(_ roots: [Root]) async -> [SignedBlock] {
        [P2PFixtures.block(slot: 12_345)]
    }
}

/// Records a network's events so tests can wait for one.
final class EventRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [PeerEvent] = []
    private var consumer: Task<Void, Never>?

    /// Starts recording; with `forwardGossip`, plays a node that finds every gossip message
    /// valid and forwards it to its other peers.
    init(_ network: PeerNetwork, forwardGossip: Bool = false) {
        let events = network.events
        consumer = Task { [weak self] in
            for await event in events {
                self?.append(event)
                if forwardGossip, case .message(let peer, let message) = event, message.isGossip {
                    network.broadcast(message, except: peer)
                }
            }
        }
    }

    private func append(_ event: PeerEvent) {
        lock.lock()
        recorded.append(event)
        lock.unlock()
    }

    var events: [PeerEvent] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// Waits up to `timeoutMs` for an event that `match` maps to a value.
    func first<T>(timeoutMs: Int = 1_500, _ match: (PeerEvent) -> T?) async -> T? {
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        while Date() < deadline {
            if let found = events.lazy.compactMap(match).first {
                return found
            }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return events.lazy.compactMap(match).first
    }

    /// The first connected peer's identifier.
    func connectedPeer(timeoutMs: Int = 1_500) async -> PeerID? {
        await first(timeoutMs: timeoutMs) { if case .connected(let peer, _) = $0 { peer } else { nil } }
    }

    /// The reason the first disconnected peer gave.
    func disconnectReason(timeoutMs: Int = 1_500) async -> DisconnectReason? {
        await first(timeoutMs: timeoutMs) { if case .disconnected(_, let reason) = $0 { reason } else { nil } }
    }

    /// The gossip messages received, in order.
    var messages: [WireMessage] {
        events.compactMap { if case .message(_, let message) = $0 { message } else { nil } }
    }
}

/// Waits up to `timeoutMs` for `condition` to hold.
func eventually(timeoutMs: Int = 1_500, _ condition: () async -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
    while Date() < deadline {
        if await condition() {
            return true
        }
        try? await Task.sleep(nanoseconds: 5_000_000)
    }
    return await condition()
}

/// A plain blocking TCP client on loopback, for sending whatever bytes a test likes.
final class RawPeer {
    private let descriptor: Int32

    /// Connects to `127.0.0.1:port`, optionally with a small receive buffer.
    init(port: Int, receiveBufferByteCount: Int32? = nil) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else {
            throw POSIXError(.EIO)
        }
        if var size = receiveBufferByteCount {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sends all of `bytes`; returns false if the connection is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(descriptor, buffer.baseAddress, buffer.count, 0)
                #endif
            }
            guard sent > 0 else {
                return false
            }
            offset += sent
        }
        return true
    }

    /// ``waitForClose(timeoutMs:)`` off the cooperative thread pool.
    func waitForCloseAsync(timeoutMs: Int = 1_500) async -> (closed: Bool, received: [UInt8]) {
        let peer = UncheckedBox(self)
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: peer.value.waitForClose(timeoutMs: timeoutMs))
            }
        }
    }

    /// Reads and discards until the peer closes the connection or `timeoutMs` passes.
    ///
    /// - Returns: Whether the connection was closed by the other side, and the bytes read.
    func waitForClose(timeoutMs: Int = 1_500) -> (closed: Bool, received: [UInt8]) {
        var timeout = timeval(tv_sec: 0, tv_usec: 20_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let deadline = Date().addingTimeInterval(Double(timeoutMs) / 1000)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while Date() < deadline {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 {
                return (true, received)
            }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                    continue
                }
                return (true, received)
            }
            received += chunk[0..<count]
        }
        return (false, received)
    }
}

extension XCTestCase {
    /// Starts a network on an ephemeral loopback port.
    func startNetwork(
        _ config: PeerNetworkConfig, provider: any BlockProvider = TestBlockProvider(blocks: []),
        forwardGossip: Bool = false
    ) async throws -> (PeerNetwork, EventRecorder, Int) {
        let network = PeerNetwork(config: config, status: P2PFixtures.status, provider: provider)
        let recorder = EventRecorder(network, forwardGossip: forwardGossip)
        let port = try await network.start()
        return (network, recorder, port)
    }
}

/// Carries a non-Sendable test object into a closure that runs while the test waits on it.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
