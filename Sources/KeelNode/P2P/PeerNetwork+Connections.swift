import KeelChain
import Logging
import NIOCore

extension PeerNetwork {
    /// How long a goodbye may take to reach the peer before the connection is closed anyway (a
    /// peer that does not read would otherwise hold it open).
    static let goodbyeLingerMs: Int64 = 200

    /// Registers a new connection and builds its pipeline: frame decoder, then the handler.
    func setUpChannel(_ channel: any Channel, isOutbound: Bool, dialerIndex: Int?) throws {
        precondition(eventLoop.inEventLoop, "connections are set up on the network's loop")
        let state = self.state.value
        guard !state.isShutDown else {
            throw ChannelError.ioOnClosedChannel
        }
        let id = PeerID(state.nextPeerID)
        state.nextPeerID += 1
        let connection = PeerConnection(
            id: id, channel: channel, isOutbound: isOutbound, dialerIndex: dialerIndex,
            queueCapacity: config.outboundQueueCountMax)
        precondition(state.peers[id] == nil, "peer identifiers are never reused")
        state.peers[id] = connection
        if let dialerIndex {
            state.dialers[dialerIndex].peerID = id
        }
        if let byteCount = config.socketSendBufferByteCount {
            // Only when configured: a fixed size turns off Linux's send buffer autotuning.
            try channel.syncOptions?.setOption(.socketOption(.so_sndbuf), value: SocketOptionValue(clamping: byteCount))
        }
        let decoder = FrameDecoder(frameByteCountMax: config.frameByteCountMax)
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(decoder, maximumBufferSize: Int(config.frameByteCountMax) + 2 * 65_536),
            PeerChannelHandler(network: self, peerID: id),
        ])
    }

    /// A connection is up: say hello and start the handshake clock.
    func connectionActive(_ id: PeerID) {
        let state = self.state.value
        guard let connection = state.peers[id] else {
            return
        }
        connection.lastInbound = .now()
        let hello = Hello(
            protocolVersion: WireLimits.protocolVersion, genesisRoot: config.genesisRoot, status: state.status,
            nodeID: config.nodeID, listenPort: UInt16(clamping: state.serverChannel?.localAddress?.port ?? 0))
        enqueue(FrameEncoder.frame(.hello(hello)), to: connection)
        guard state.peers.count <= config.peerCountMax else {
            sayGoodbyeAndClose(connection, .tooManyPeers)
            return
        }
        connection.handshakeTimeout = eventLoop.scheduleTask(in: .milliseconds(config.handshakeTimeoutMs)) {
            guard let connection = self.state.value.peers[id], connection.hello == nil else {
                return
            }
            self.sayGoodbyeAndClose(connection, .timeout)
        }
    }

    /// The peer's first message: it must be a hello for our network, from another node.
    func handleHello(_ hello: Hello, from connection: PeerConnection) {
        precondition(connection.hello == nil, "a connection's handshake completes once")
        guard hello.protocolVersion == WireLimits.protocolVersion else {
            sayGoodbyeAndClose(connection, .protocolVersionMismatch)
            return
        }
        guard hello.genesisRoot == config.genesisRoot else {
            sayGoodbyeAndClose(connection, .genesisMismatch)
            return
        }
        guard hello.nodeID != config.nodeID else {
            sayGoodbyeAndClose(connection, .duplicateConnection)
            return
        }
        let state = self.state.value
        if let existing = state.connectedPeers.first(where: { $0.hello?.nodeID == hello.nodeID }) {
            // Both ends apply the same rule, so they agree on which connection survives: the one
            // dialed by the node with the smaller identifier (the older one if both were).
            let newDialer = connection.isOutbound ? config.nodeID : hello.nodeID
            let existingDialer = existing.isOutbound ? config.nodeID : hello.nodeID
            guard newDialer < existingDialer else {
                sayGoodbyeAndClose(connection, .duplicateConnection)
                return
            }
            sayGoodbyeAndClose(existing, .duplicateConnection)
        }
        connection.hello = hello
        connection.handshakeTimeout?.cancel()
        connection.handshakeTimeout = nil
        if let index = connection.dialerIndex {
            state.dialers[index].nodeID = hello.nodeID
            state.dialers[index].redialDelayMs = config.redialDelayMsMin
        }
        logger.debug("peer connected", metadata: ["peer": "\(connection.id)", "address": "\(connection.address)"])
        emit(.connected(connection.id, hello))
    }

    /// The pipeline reported an error: a bad frame drops the peer, an I/O error closes it.
    func connectionFailed(_ id: PeerID, error: any Error) {
        guard let connection = state.value.peers[id], !connection.isClosing else {
            return
        }
        if let frameError = error as? FrameError {
            logger.info("malformed frame", metadata: ["peer": "\(id)", "error": "\(frameError)"])
            connection.score = config.scoreMin
            sayGoodbyeAndClose(connection, .malformedMessage, reporting: .malformedFrame(frameError))
        } else if error is ByteToMessageDecoderError || error is ByteToMessageDecoderError.PayloadTooLargeError {
            connection.score = config.scoreMin
            sayGoodbyeAndClose(connection, .malformedMessage)
        } else {
            logger.debug("connection error", metadata: ["peer": "\(id)", "error": "\(error)"])
            connection.isClosing = true
            connection.channel.close(promise: nil)
        }
    }

    /// The connection closed: forget it, fail its requests, tell the node, redial if it was a
    /// bootstrap peer.
    func connectionClosed(_ id: PeerID) {
        let state = self.state.value
        guard let connection = state.peers.removeValue(forKey: id) else {
            return
        }
        connection.isClosing = true
        connection.handshakeTimeout?.cancel()
        failPendingRequests(connection, .peerDisconnected)
        connection.outboundQueue.removeAll()
        connection.outboundQueueByteCount = 0
        emit(.disconnected(id, connection.closeReason ?? .connectionClosed))
        if let index = connection.dialerIndex, state.dialers[index].peerID == id {
            state.dialers[index].peerID = nil
            scheduleRedial(index)
        }
        precondition(state.peers[id] == nil, "a closed connection is forgotten")
    }

    /// Sends a goodbye and closes the connection once it is written, or after a short linger.
    func sayGoodbyeAndClose(_ connection: PeerConnection, _ reason: GoodbyeReason, reporting: DisconnectReason? = nil) {
        guard !connection.isClosing else {
            return
        }
        connection.isClosing = true
        connection.closeReason = reporting ?? .sentGoodbye(reason)
        connection.handshakeTimeout?.cancel()
        logger.debug("goodbye", metadata: ["peer": "\(connection.id)", "reason": "\(reason)"])
        let channel = connection.channel
        let written = channel.writeAndFlush(FrameEncoder.frame(.goodbye(reason)))
        let linger = eventLoop.scheduleTask(in: .milliseconds(Self.goodbyeLingerMs)) {
            channel.close(promise: nil)
        }
        written.whenComplete { _ in
            linger.cancel()
            channel.close(promise: nil)
        }
    }

    /// Lowers a connection's score; at the floor the peer is dropped.
    func penalize(_ connection: PeerConnection, _ penalty: PeerPenalty) {
        guard !connection.isClosing else {
            return
        }
        connection.score -= penalty.points
        logger.debug("penalty", metadata: ["peer": "\(connection.id)", "penalty": "\(penalty)"])
        if connection.score <= config.scoreMin {
            sayGoodbyeAndClose(connection, penalty == .slowReader ? .tooSlow : .lowScore)
        }
    }

    /// Fails every request waiting on `connection`.
    func failPendingRequests(_ connection: PeerConnection, _ error: PeerRequestError) {
        let pending = connection.pendingRequests
        connection.pendingRequests.removeAll()
        for (_, request) in pending.sorted(by: { $0.key < $1.key }) {
            request.timeout.cancel()
            request.promise.fail(error)
        }
        precondition(connection.pendingRequests.isEmpty, "no request outlives its failure")
    }

    /// Runs every ping interval: pings connected peers and drops the ones silent too long.
    func pingAndExpire() {
        let state = self.state.value
        guard !state.isShutDown else {
            return
        }
        let now = NIODeadline.now()
        let idleTimeout = TimeAmount.milliseconds(config.idleTimeoutMs)
        for connection in state.connectedPeers {
            if now - connection.lastInbound > idleTimeout {
                sayGoodbyeAndClose(connection, .timeout)
            } else {
                enqueue(FrameEncoder.frame(.ping(state.nextPingNonce)), to: connection)
                state.nextPingNonce += 1
            }
        }
    }
}
