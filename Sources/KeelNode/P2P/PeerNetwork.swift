import KeelChain
import KeelCrypto
import Logging
import NIOCore
import NIOPosix

/// The peer-to-peer network of one node over SwiftNIO: listens, dials bootstrap peers (with
/// backoff), performs the handshake, scores and drops misbehaving peers, de-duplicates and
/// forwards gossip, and runs block requests for sync.
///
/// The node consumes ``events`` and answers with ``broadcast(_:except:)`` (once it judged a
/// gossip message valid), ``penalize(_:_:)`` (once it judged one invalid) and the request
/// methods; it serves peers' requests through its ``BlockProvider``.
///
/// - Important: All state lives on one event loop picked from the group at creation; every
///   public method may be called from any thread and hops to that loop. Fire-and-forget
///   methods (`broadcast`, `send`, `penalize`, `disconnect`, `updateStatus`) take effect in the
///   order they were called.
public final class PeerNetwork: Sendable {
    /// The configuration the network was created with.
    public let config: PeerNetworkConfig
    /// Everything the network tells the node, bounded by ``PeerNetworkConfig/eventQueueCountMax``.
    public let events: AsyncStream<PeerEvent>

    let eventContinuation: AsyncStream<PeerEvent>.Continuation
    let eventLoop: any EventLoop
    let provider: any BlockProvider
    let logger: Logger
    let state: NIOLoopBoundBox<NetworkState>

    /// Creates a network; nothing happens until ``start()``.
    ///
    /// - Parameters:
    ///   - config: The genesis root, node identifier, addresses, bounds and timeouts.
    ///   - status: The node's chain status to announce in hellos until ``updateStatus(_:)``.
    ///   - provider: Serves peers' block requests.
    ///   - group: The event loops to run on; the network uses one of them.
    ///   - logger: Where connection events are logged.
    public init(
        config: PeerNetworkConfig, status: ChainStatus, provider: any BlockProvider,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger = Logger(label: "keel.p2p")
    ) {
        precondition(config.peerCountMax >= 1, "a network allows at least one peer")
        precondition(config.outboundQueueCountMax >= 1, "a peer's queue holds at least one frame")
        precondition(config.scoreMin < 0, "a fresh peer's score of 0 is above the floor")
        self.config = config
        self.provider = provider
        self.logger = logger
        self.eventLoop = group.next()
        (self.events, self.eventContinuation) = AsyncStream.makeStream(
            of: PeerEvent.self, bufferingPolicy: .bufferingOldest(config.eventQueueCountMax))
        self.state = NIOLoopBoundBox.makeBoxSendingValue(
            NetworkState(status: status, seenMessageCountMax: config.seenMessageCountMax), eventLoop: eventLoop)
    }

    /// Binds the listening socket and starts dialing the bootstrap peers.
    ///
    /// - Returns: The port listened on (useful when the configured port is 0).
    /// - Throws: Whatever binding the socket throws.
    public func start() async throws -> Int {
        let bound = try await ServerBootstrap(group: eventLoop)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: writeBufferWaterMark)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.setUpChannel(channel, isOutbound: false, dialerIndex: nil)
                }
            }
            .bind(host: config.listenHost, port: config.listenPort)
            .get()
        try await eventLoop.submit {
            let state = self.state.value
            precondition(!state.isStarted, "a network starts once")
            state.isStarted = true
            state.serverChannel = bound
            state.dialers = self.config.bootstrapPeers.map {
                NetworkState.Dialer(address: $0, redialDelayMs: self.config.redialDelayMsMin)
            }
            for index in state.dialers.indices {
                self.dial(index)
            }
            let interval = TimeAmount.milliseconds(self.config.pingIntervalMs)
            state.pingTask = self.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                self.pingAndExpire()
            }
        }.get()
        guard let port = bound.localAddress?.port else {
            preconditionFailure("a bound socket has a port")
        }
        logger.info("p2p listening", metadata: ["port": "\(port)", "node": "\(config.nodeID)"])
        return port
    }

    /// Says goodbye to every peer, closes every connection and the listening socket, fails the
    /// requests in flight and finishes ``events``.
    public func shutdown() async {
        let done = eventLoop.flatSubmit { self.shutdownOnLoop() }
        try? await done.get()
    }

    /// Sends a message to every connected peer but `excluded`: a gossip message at most once
    /// per node (later calls with the same message do nothing).
    ///
    /// - Parameters:
    ///   - message: The message, which the node has judged valid.
    ///   - excluded: The peer it came from, if any.
    public func broadcast(_ message: WireMessage, except excluded: PeerID? = nil) {
        eventLoop.execute { self.broadcastOnLoop(message, except: excluded) }
    }

    /// Sends a message to one connected peer.
    ///
    /// - Parameters:
    ///   - message: The message.
    ///   - peer: The peer; an unknown or closing peer is ignored.
    public func send(_ message: WireMessage, to peer: PeerID) {
        eventLoop.execute {
            guard let connection = self.state.value.peers[peer], connection.hello != nil else {
                return
            }
            self.enqueue(FrameEncoder.frame(message), to: connection)
        }
    }

    /// Lowers a peer's score, dropping it if the score falls to the floor.
    ///
    /// - Parameters:
    ///   - peer: The peer that sent the invalid content.
    ///   - penalty: What it did and what it costs.
    public func penalize(_ peer: PeerID, _ penalty: PeerPenalty) {
        eventLoop.execute {
            guard let connection = self.state.value.peers[peer] else {
                return
            }
            self.penalize(connection, penalty)
        }
    }

    /// Says goodbye to a peer and closes the connection.
    ///
    /// - Parameters:
    ///   - peer: The peer.
    ///   - reason: The reason sent.
    public func disconnect(_ peer: PeerID, reason: GoodbyeReason) {
        eventLoop.execute {
            guard let connection = self.state.value.peers[peer] else {
                return
            }
            self.sayGoodbyeAndClose(connection, reason)
        }
    }

    /// Replaces the chain status announced in later hellos.
    ///
    /// - Parameter status: The node's new head and finalized checkpoint.
    public func updateStatus(_ status: ChainStatus) {
        eventLoop.execute { self.state.value.status = status }
    }

    /// A snapshot of every connection, handshaken or not, in connection order.
    ///
    /// - Returns: One entry per open connection.
    public func peers() async -> [PeerInfo] {
        let infos = try? await eventLoop.submit {
            self.state.value.peers.values.map(\.info).sorted { $0.id < $1.id }
        }.get()
        return infos ?? []
    }

    /// The water mark that makes a socket unwritable once NIO holds more than
    /// ``PeerNetworkConfig/socketWriteBufferByteCountMax`` bytes for it.
    var writeBufferWaterMark: ChannelOptions.Types.WriteBufferWaterMark {
        let high = max(config.socketWriteBufferByteCountMax, 2)
        return .init(low: high / 2, high: high)
    }

    /// Tells the node something happened, counting what a full event queue drops.
    func emit(_ event: PeerEvent) {
        if case .dropped = eventContinuation.yield(event) {
            state.value.droppedEventCount += 1
        }
    }

    private func shutdownOnLoop() -> EventLoopFuture<Void> {
        let state = self.state.value
        guard !state.isShutDown else {
            return eventLoop.makeSucceededVoidFuture()
        }
        state.isShutDown = true
        state.pingTask?.cancel()
        for index in state.dialers.indices {
            state.dialers[index].redial?.cancel()
        }
        var closed: [EventLoopFuture<Void>] = []
        for connection in state.peers.values.sorted(by: { $0.id < $1.id }) {
            failPendingRequests(connection, .shutdown)
            sayGoodbyeAndClose(connection, .clientShutdown)
            closed.append(connection.channel.closeFuture)
        }
        if let server = state.serverChannel {
            closed.append(server.close())
        }
        return EventLoopFuture.andAllComplete(closed, on: eventLoop).map {
            // The server channel's initializer holds the network: let both go.
            self.state.value.serverChannel = nil
            self.eventContinuation.finish()
        }
    }
}
