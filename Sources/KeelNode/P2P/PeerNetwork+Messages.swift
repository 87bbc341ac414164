import KeelChain
import KeelCrypto
import NIOCore

extension PeerNetwork {
    /// A decoded message from a peer: the handshake first, then gossip, requests and answers.
    func received(_ message: WireMessage, from id: PeerID) {
        let state = self.state.value
        guard let connection = state.peers[id], !connection.isClosing else {
            return
        }
        connection.lastInbound = .now()
        guard connection.hello != nil else {
            guard case .hello(let hello) = message else {
                sayGoodbyeAndClose(connection, .protocolViolation)
                return
            }
            handleHello(hello, from: connection)
            return
        }
        switch message {
        case .hello:
            penalize(connection, .protocolViolation)
        case .goodbye(let reason):
            connection.isClosing = true
            connection.closeReason = .receivedGoodbye(reason)
            connection.channel.close(promise: nil)
        case .ping(let nonce):
            enqueue(FrameEncoder.frame(.pong(nonce)), to: connection)
        case .pong:
            break
        case .block, .attestation, .proposerSlashing, .attesterSlashing, .transaction:
            let messageID = message.messageID
            guard state.seen.status(of: messageID) == nil else {
                return
            }
            state.seen.record(messageID, .delivered)
            emit(.message(id, message))
        case .blocksByRangeRequest(let requestID, let startSlot, let count):
            serve(requestID, from: connection) { provider in
                await provider.blocksByRange(startSlot: startSlot, count: count)
            }
        case .blocksByRootRequest(let requestID, let roots):
            serve(requestID, from: connection) { provider in
                await provider.blocksByRoot(roots)
            }
        case .blocksResponse(let requestID, let blocks):
            completeRequest(requestID, blocks: blocks, from: connection)
        }
    }

    /// Sends `message` to every connected peer but `excluded`, at most once per gossip message.
    func broadcastOnLoop(_ message: WireMessage, except excluded: PeerID?) {
        let state = self.state.value
        guard !state.isShutDown else {
            return
        }
        // Encoded once: the identifier and the frame for every peer come from the same bytes.
        let payload = message.encoded
        if message.isGossip {
            let messageID = SHA256.hash(payload)
            guard state.seen.status(of: messageID) != .forwarded else {
                return
            }
            state.seen.record(messageID, .forwarded)
        }
        var frame = ByteBufferAllocator().buffer(capacity: WireLimits.frameHeaderByteCount + payload.count)
        FrameEncoder.writeFrame(payload: payload, to: &frame)
        for connection in state.connectedPeers where connection.id != excluded {
            enqueue(frame, to: connection)
        }
    }

    /// Hands a frame to the fault layer of a testnet node (``PeerNetworkConfig/faults``), which
    /// may drop or delay it, then to ``write(_:to:)``.
    func enqueue(_ frame: ByteBuffer, to connection: PeerConnection) {
        switch faultDecision(for: connection) {
        case .pass:
            write(frame, to: connection)
        case .drop:
            return
        case .delay(let milliseconds):
            // Held frames count against the queue's bound: latency must not let memory grow.
            guard connection.delayedCount < config.outboundQueueCountMax else {
                connection.outboundDroppedCount += 1
                return
            }
            connection.delayedCount += 1
            eventLoop.scheduleTask(in: .milliseconds(Int64(milliseconds))) {
                connection.delayedCount -= 1
                guard self.state.value.peers[connection.id] === connection else { return }
                self.write(frame, to: connection)
            }
        }
    }

    /// Writes a frame to the peer, or queues it while the socket is full; a full queue drops the
    /// frame and penalises the peer for not reading.
    func write(_ frame: ByteBuffer, to connection: PeerConnection) {
        guard !connection.isClosing else {
            return
        }
        if connection.outboundQueue.isEmpty && connection.channel.isWritable {
            connection.channel.writeAndFlush(frame, promise: nil)
            return
        }
        let byteCount = connection.outboundQueueByteCount + frame.readableBytes
        guard connection.outboundQueue.count < config.outboundQueueCountMax,
            byteCount <= config.outboundQueueByteCountMax
        else {
            connection.outboundDroppedCount += 1
            penalize(connection, .slowReader)
            return
        }
        connection.outboundQueue.append(frame)
        connection.outboundQueueByteCount = byteCount
        connection.outboundQueueCountHighWater = max(connection.outboundQueueCountHighWater, connection.outboundQueue.count)
        precondition(connection.outboundQueue.count <= config.outboundQueueCountMax, "the queue stays bounded")
        precondition(connection.outboundQueueByteCount <= config.outboundQueueByteCountMax, "the queue stays bounded")
    }

    /// The socket drained below its low water mark (or filled): move queued frames to it.
    func writabilityChanged(_ id: PeerID) {
        guard let connection = state.value.peers[id], !connection.isClosing else {
            return
        }
        var wrote = false
        while connection.channel.isWritable, let frame = connection.outboundQueue.popFirst() {
            connection.outboundQueueByteCount -= frame.readableBytes
            connection.channel.write(frame, promise: nil)
            wrote = true
        }
        if wrote {
            connection.channel.flush()
        }
        precondition(connection.outboundQueueByteCount >= 0, "queued bytes are counted exactly")
    }
}
