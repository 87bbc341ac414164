import KeelChain
import KeelCrypto
import NIOCore

extension PeerNetwork {
    /// Asks a peer for its canonical blocks of `count` slots from `startSlot`.
    ///
    /// - Parameters:
    ///   - peer: A connected peer.
    ///   - startSlot: The first slot.
    ///   - count: The number of slots, at most ``WireLimits/responseBlockCountMax``.
    /// - Returns: The blocks the peer sent, in increasing slot order, each inside the range.
    /// - Throws: ``PeerRequestError``: the peer is unknown, did not answer in time, closed,
    ///   answered out of range (it is also penalised), or the network is shut down.
    public func requestBlocksByRange(
        _ peer: PeerID, startSlot: Slot, count: UInt64
    ) async throws(PeerRequestError) -> [SignedBlock] {
        precondition(count <= WireLimits.responseBlockCountMax, "a range request asks for at most the response limit")
        precondition(startSlot.rawValue <= UInt64.max - count, "a range ends at a slot")
        return try await request(peer, .range(startSlot: startSlot, count: count))
    }

    /// Asks a peer for the blocks with the given roots.
    ///
    /// - Parameters:
    ///   - peer: A connected peer.
    ///   - roots: At most ``WireLimits/requestRootCountMax`` roots.
    /// - Returns: The blocks the peer has among those asked for (possibly none).
    /// - Throws: ``PeerRequestError`` as for ``requestBlocksByRange(_:startSlot:count:)``; a
    ///   block that was not asked for is an invalid response.
    public func requestBlocksByRoot(_ peer: PeerID, roots: [Root]) async throws(PeerRequestError) -> [SignedBlock] {
        precondition(UInt64(roots.count) <= WireLimits.requestRootCountMax, "a root request carries at most its limit")
        return try await request(peer, .roots(Set(roots)), roots: roots)
    }

    private func request(
        _ peer: PeerID, _ kind: PeerConnection.PendingRequest.Kind, roots: [Root] = []
    ) async throws(PeerRequestError) -> [SignedBlock] {
        let promise = eventLoop.makePromise(of: [SignedBlock].self)
        eventLoop.execute {
            self.startRequest(peer, kind, roots: roots, promise: promise)
        }
        do {
            return try await promise.futureResult.get()
        } catch let error as PeerRequestError {
            throw error
        } catch {
            throw .shutdown
        }
    }

    private func startRequest(
        _ peer: PeerID, _ kind: PeerConnection.PendingRequest.Kind, roots: [Root],
        promise: EventLoopPromise<[SignedBlock]>
    ) {
        let state = self.state.value
        guard !state.isShutDown else {
            promise.fail(PeerRequestError.shutdown)
            return
        }
        guard let connection = state.peers[peer], connection.hello != nil, !connection.isClosing else {
            promise.fail(PeerRequestError.unknownPeer(peer))
            return
        }
        guard connection.pendingRequests.count < config.requestsInFlightMax else {
            promise.fail(PeerRequestError.tooManyRequestsInFlight)
            return
        }
        let requestID = connection.nextRequestID
        connection.nextRequestID += 1
        let timeout = eventLoop.scheduleTask(in: .milliseconds(config.requestTimeoutMs)) {
            self.requestTimedOut(requestID, peer: peer)
        }
        connection.pendingRequests[requestID] = PeerConnection.PendingRequest(
            kind: kind, promise: promise, timeout: timeout)
        let message: WireMessage
        switch kind {
        case .range(let startSlot, let count):
            message = .blocksByRangeRequest(requestID: requestID, startSlot: startSlot, count: count)
        case .roots:
            message = .blocksByRootRequest(requestID: requestID, roots: roots)
        }
        enqueue(FrameEncoder.frame(message), to: connection)
    }

    private func requestTimedOut(_ requestID: UInt64, peer: PeerID) {
        guard let connection = state.value.peers[peer],
            let request = connection.pendingRequests.removeValue(forKey: requestID)
        else {
            return
        }
        request.promise.fail(PeerRequestError.timeout)
        penalize(connection, .requestTimeout)
    }

    /// A `blocksResponse`: it must answer a request in flight, with blocks that fit the request.
    func completeRequest(_ requestID: UInt64, blocks: [SignedBlock], from connection: PeerConnection) {
        guard let request = connection.pendingRequests.removeValue(forKey: requestID) else {
            // A late answer to a request that timed out was already penalised as a timeout; an
            // answer to a request never made is invalid.
            if requestID >= connection.nextRequestID || requestID == 0 {
                penalize(connection, .invalidResponse)
            }
            return
        }
        request.timeout.cancel()
        if let problem = Self.check(blocks, answer: request.kind) {
            request.promise.fail(PeerRequestError.invalidResponse(problem))
            penalize(connection, .invalidResponse)
        } else {
            request.promise.succeed(blocks)
        }
    }

    /// Why `blocks` do not answer the request, or `nil` if they do.
    static func check(_ blocks: [SignedBlock], answer kind: PeerConnection.PendingRequest.Kind) -> String? {
        switch kind {
        case .range(let startSlot, let count):
            guard UInt64(blocks.count) <= count else {
                return "\(blocks.count) blocks for a range of \(count) slots"
            }
            var previous: Slot?
            for block in blocks {
                let slot = block.message.slot
                guard slot >= startSlot, slot.rawValue - startSlot.rawValue < count else {
                    return "block at slot \(slot) outside the range \(startSlot) + \(count)"
                }
                if let previous, slot <= previous {
                    return "blocks not in increasing slot order at slot \(slot)"
                }
                previous = slot
            }
        case .roots(let roots):
            var seen = Set<Root>()
            for block in blocks {
                let root = block.message.hashTreeRoot
                guard roots.contains(root) else {
                    return "block \(root) was not asked for"
                }
                guard seen.insert(root).inserted else {
                    return "block \(root) sent twice"
                }
            }
        }
        return nil
    }

    /// Answers a peer's block request through the provider, off the event loop.
    func serve(
        _ requestID: UInt64, from connection: PeerConnection,
        _ fetch: @escaping @Sendable (any BlockProvider) async -> [SignedBlock]
    ) {
        guard connection.servingCount < config.requestsInFlightMax else {
            penalize(connection, .tooManyRequests)
            enqueue(FrameEncoder.frame(.blocksResponse(requestID: requestID, blocks: [])), to: connection)
            return
        }
        connection.servingCount += 1
        let peer = connection.id
        let provider = self.provider
        Task {
            let blocks = await fetch(provider)
            self.eventLoop.execute {
                self.finishServing(requestID, peer: peer, blocks: blocks)
            }
        }
    }

    private func finishServing(_ requestID: UInt64, peer: PeerID, blocks: [SignedBlock]) {
        guard let connection = state.value.peers[peer] else {
            return
        }
        connection.servingCount -= 1
        precondition(connection.servingCount >= 0, "every served request was counted")
        // Keep the answer inside one frame and the response limit: the rest can be asked again.
        var byteCount = WireLimits.frameHeaderByteCount + 1 + 8 + 4
        var kept: [SignedBlock] = []
        for block in blocks.prefix(Int(WireLimits.responseBlockCountMax)) {
            byteCount += block.encoded.count
            guard byteCount <= Int(config.frameByteCountMax) + 4 else {
                break
            }
            kept.append(block)
        }
        enqueue(FrameEncoder.frame(.blocksResponse(requestID: requestID, blocks: kept)), to: connection)
    }
}
