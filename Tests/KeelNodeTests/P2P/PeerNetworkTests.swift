import KeelChain
import KeelCrypto
@testable import KeelNode
import XCTest

/// Networks on real loopback sockets (ephemeral ports, short timeouts).
final class PeerNetworkTests: XCTestCase {
    func testTwoNetworksHandshakeExchangeABlockAndShutDownCleanly() async throws {
        let (a, aEvents, aPort) = try await startNetwork(P2PFixtures.config(nodeID: 1))
        let (b, bEvents, _) = try await startNetwork(P2PFixtures.config(nodeID: 2, dial: [aPort]))
        let aSeesB = await aEvents.connectedPeer()
        let bSeesAFound = await bEvents.connectedPeer()
        let bSeesA = try XCTUnwrap(bSeesAFound)
        XCTAssertNotNil(aSeesB)
        let hello = await bEvents.first { if case .connected(_, let hello) = $0 { hello } else { nil } }
        XCTAssertEqual(hello?.nodeID, 1)
        XCTAssertEqual(hello?.genesisRoot, P2PFixtures.genesisRoot)
        XCTAssertEqual(hello?.listenPort, UInt16(aPort))

        let block = P2PFixtures.block(slot: 1, transactionCount: 3)
        b.broadcast(.block(block))
        let received = await aEvents.first { if case .message(let peer, .block(let block)) = $0 { (peer, block) } else { nil } }
        XCTAssertEqual(received?.0, aSeesB)
        XCTAssertEqual(received?.1, block)

        await a.shutdown()
        let reason = await bEvents.disconnectReason()
        XCTAssertEqual(reason, .receivedGoodbye(.clientShutdown))
        do {
            _ = try await a.requestBlocksByRange(bSeesA, startSlot: 0, count: 1)
            XCTFail("a shut-down network makes no requests")
        } catch {
            XCTAssertEqual(error, .shutdown)
        }
        await b.shutdown()
    }

    func testGenesisMismatchDisconnectsWithAReason() async throws {
        let (a, aEvents, aPort) = try await startNetwork(P2PFixtures.config(nodeID: 1))
        let other = P2PFixtures.root(424_242)
        let (b, bEvents, _) = try await startNetwork(P2PFixtures.config(nodeID: 2, genesisRoot: other, dial: [aPort]))
        let aReason = await aEvents.disconnectReason()
        let bReason = await bEvents.disconnectReason()
        XCTAssertEqual(aReason, .sentGoodbye(.genesisMismatch))
        XCTAssertEqual(bReason, .sentGoodbye(.genesisMismatch))
        XCTAssertFalse(aEvents.events.contains { if case .connected = $0 { true } else { false } })
        await b.shutdown()
        await a.shutdown()
    }

    func testGossipIsDeduplicatedAlongAChain() async throws {
        // A - B - C: B forwards what it receives; C must see each message once.
        let (b, bEvents, bPort) = try await startNetwork(P2PFixtures.config(nodeID: 2), forwardGossip: true)
        let (a, aEvents, _) = try await startNetwork(P2PFixtures.config(nodeID: 1, dial: [bPort]))
        let (c, cEvents, _) = try await startNetwork(P2PFixtures.config(nodeID: 3, dial: [bPort]))
        let aToBFound = await aEvents.connectedPeer()
        let aToB = try XCTUnwrap(aToBFound)
        let found6 = await cEvents.connectedPeer()
        XCTAssertNotNil(found6)
        let bothConnected = await eventually { await b.peers().filter { $0.hello != nil }.count == 2 }
        XCTAssertTrue(bothConnected)

        let attestation = WireMessage.attestation(P2PFixtures.attestation(11))
        a.send(attestation, to: aToB)
        a.send(attestation, to: aToB)
        a.broadcast(attestation)
        a.broadcast(attestation)
        // A later message on the same ordered connections marks the end of the duplicates.
        let marker = WireMessage.transaction(P2PFixtures.transaction(nonce: 1))
        a.send(marker, to: aToB)
        let arrived = await eventually { cEvents.messages.contains(marker) }
        XCTAssertTrue(arrived)
        XCTAssertEqual(cEvents.messages, [attestation, marker])
        XCTAssertEqual(bEvents.messages, [attestation, marker])
        XCTAssertEqual(aEvents.messages, [], "B does not send A's messages back to A")
        await a.shutdown()
        await b.shutdown()
        await c.shutdown()
    }

    func testGarbageFromARawClientIsDroppedWhileOtherPeersAreServed() async throws {
        var config = P2PFixtures.config(nodeID: 1)
        config.pingIntervalMs = 50
        config.idleTimeoutMs = 300
        let (a, aEvents, aPort) = try await startNetwork(config)
        let (b, _, _) = try await startNetwork(P2PFixtures.config(nodeID: 2, dial: [aPort]))
        let found7 = await aEvents.connectedPeer()
        XCTAssertNotNil(found7)

        var generator = SplitMixGenerator(seed: 7)
        let random = try RawPeer(port: aPort)
        random.send((0..<512).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        let oversize = try RawPeer(port: aPort)
        oversize.send(P2PFixtures.frameBytes(.hello(P2PFixtures.hello(nodeID: 50))) + [0xFF, 0xFF, 0xFF, 0x7F])
        let truncatedHello = try RawPeer(port: aPort)
        truncatedHello.send(Array(P2PFixtures.frameBytes(.hello(P2PFixtures.hello(nodeID: 51))).prefix(20)))
        let stalled = try RawPeer(port: aPort)
        let blockFrame = P2PFixtures.frameBytes(.block(P2PFixtures.block(slot: 9)))
        stalled.send(P2PFixtures.frameBytes(.hello(P2PFixtures.hello(nodeID: 52))) + blockFrame.prefix(30))
        let badVersion = try RawPeer(port: aPort)
        badVersion.send(P2PFixtures.frameBytes(payload: WireMessage.ping(1).encoded, version: 2))

        for (name, peer) in [("random", random), ("oversize", oversize), ("truncated hello", truncatedHello),
                             ("stalled mid-frame", stalled), ("bad version", badVersion)] {
            let closed = await peer.waitForCloseAsync(timeoutMs: 1_000).closed
            XCTAssertTrue(closed, "\(name) is disconnected")
        }
        let expected: [DisconnectReason] = [
            .malformedFrame(.frameTooLarge(byteCount: 0x7FFF_FFFF, byteCountMax: WireLimits.frameByteCountMax)),
            .malformedFrame(.unsupportedVersion(2)), .sentGoodbye(.timeout),
        ]
        let reported = await eventually {
            let reasons = aEvents.events.compactMap { if case .disconnected(_, let reason) = $0 { reason } else { nil } }
            return reasons.count == 5 && expected.allSatisfy(reasons.contains)
        }
        XCTAssertTrue(reported, "\(aEvents.events)")

        // The well-behaved peer stayed connected (it answers pings) and is still served.
        let peers = await a.peers()
        XCTAssertEqual(peers.count, 1)
        XCTAssertEqual(peers.first?.hello?.nodeID, 2)
        let block = P2PFixtures.block(slot: 4)
        b.broadcast(.block(block))
        let delivered = await eventually { aEvents.messages.contains(.block(block)) }
        XCTAssertTrue(delivered)
        await b.shutdown()
        await a.shutdown()
    }

    func testAMessageBeforeHelloAndADialToSelfAreRefused() async throws {
        var config = P2PFixtures.config(nodeID: 1)
        config.redialDelayMsMin = 1_000
        let (a, aEvents, aPort) = try await startNetwork(config)
        let early = try RawPeer(port: aPort)
        early.send(P2PFixtures.frameBytes(.ping(1)))
        let closed = await early.waitForCloseAsync(timeoutMs: 1_000).closed
        XCTAssertTrue(closed)
        let reason = await aEvents.disconnectReason()
        XCTAssertEqual(reason, .sentGoodbye(.protocolViolation))
        await a.shutdown()

        var selfDialing = P2PFixtures.config(nodeID: 5)
        selfDialing.listenPort = 0
        let (b, bEvents, bPort) = try await startNetwork(selfDialing)
        await b.shutdown()
        var again = P2PFixtures.config(nodeID: 5, dial: [bPort])
        again.listenPort = bPort
        again.redialDelayMsMin = 1_000
        let (c, cEvents, _) = try await startNetwork(again)
        let refused = await cEvents.first { if case .disconnected(_, .sentGoodbye(.duplicateConnection)) = $0 { true } else { nil } }
        XCTAssertEqual(refused, true)
        XCTAssertFalse(cEvents.events.contains { if case .connected = $0 { true } else { false } })
        XCTAssertTrue(bEvents.events.isEmpty)
        await c.shutdown()
    }

    func testFramesSplitAndCoalescedOnTheSocketAreDecoded() async throws {
        let (a, aEvents, aPort) = try await startNetwork(P2PFixtures.config(nodeID: 1))
        let raw = try RawPeer(port: aPort)
        let first = WireMessage.block(P2PFixtures.block(slot: 1))
        let second = WireMessage.attestation(P2PFixtures.attestation(2))
        let third = WireMessage.block(P2PFixtures.block(slot: 3, transactionCount: 2))
        // Hello and two messages in one write, then a frame one byte per write.
        raw.send(P2PFixtures.frameBytes(.hello(P2PFixtures.hello(nodeID: 60))) + P2PFixtures.frameBytes(first)
            + P2PFixtures.frameBytes(second))
        for byte in P2PFixtures.frameBytes(third) {
            raw.send([byte])
        }
        let all = await eventually { aEvents.messages.count == 3 }
        XCTAssertTrue(all)
        XCTAssertEqual(aEvents.messages, [first, second, third])
        let peers = await a.peers()
        XCTAssertEqual(peers.map(\.score), [0])
        await a.shutdown()
    }

    func testResponsesAreCheckedAgainstTheirRequest() {
        let blocks = [2, 3, 5].map { P2PFixtures.block(slot: UInt64($0)) }
        XCTAssertNil(PeerNetwork.check(blocks, answer: .range(startSlot: 2, count: 4)))
        XCTAssertNil(PeerNetwork.check([], answer: .range(startSlot: 2, count: 4)))
        XCTAssertNotNil(PeerNetwork.check(blocks, answer: .range(startSlot: 2, count: 2)), "too many blocks")
        XCTAssertNotNil(PeerNetwork.check(blocks, answer: .range(startSlot: 3, count: 10)), "a slot below the range")
        XCTAssertNotNil(PeerNetwork.check(blocks.reversed(), answer: .range(startSlot: 0, count: 10)), "out of order")
        XCTAssertNotNil(PeerNetwork.check([blocks[0], blocks[0]], answer: .range(startSlot: 0, count: 10)), "repeated")
        let roots = Set(blocks.map(\.message.hashTreeRoot))
        XCTAssertNil(PeerNetwork.check(blocks.reversed(), answer: .roots(roots)))
        XCTAssertNotNil(PeerNetwork.check([blocks[0], blocks[0]], answer: .roots(roots)), "sent twice")
        XCTAssertNotNil(PeerNetwork.check([P2PFixtures.block(slot: 9)], answer: .roots(roots)), "not asked for")
    }

    func testRangeAndRootRequestsRoundTrip() async throws {
        let blocks = [1, 2, 3, 4, 6, 7, 8].map { P2PFixtures.block(slot: UInt64($0)) }
        let (a, _, aPort) = try await startNetwork(
            P2PFixtures.config(nodeID: 1), provider: TestBlockProvider(blocks: blocks))
        let (b, bEvents, _) = try await startNetwork(P2PFixtures.config(nodeID: 2, dial: [aPort]))
        let peerFound = await bEvents.connectedPeer()
        let peer = try XCTUnwrap(peerFound)

        let range = try await b.requestBlocksByRange(peer, startSlot: 3, count: 4)
        XCTAssertEqual(range.map(\.message.slot), [3, 4, 6])
        let empty = try await b.requestBlocksByRange(peer, startSlot: 100, count: 10)
        XCTAssertEqual(empty, [])
        let wanted = [blocks[5].message.hashTreeRoot, P2PFixtures.root(999), blocks[0].message.hashTreeRoot]
        let byRoot = try await b.requestBlocksByRoot(peer, roots: wanted)
        XCTAssertEqual(Set(byRoot), [blocks[5], blocks[0]])
        do {
            _ = try await b.requestBlocksByRange(PeerID(999), startSlot: 0, count: 1)
            XCTFail("an unknown peer cannot be asked")
        } catch {
            XCTAssertEqual(error, .unknownPeer(PeerID(999)))
        }
        await b.shutdown()
        await a.shutdown()
    }

    func testWrongAnswersAndSilenceFailTheRequestAndCostScore() async throws {
        let (liar, _, liarPort) = try await startNetwork(P2PFixtures.config(nodeID: 1), provider: LyingBlockProvider())
        let (silent, _, silentPort) = try await startNetwork(P2PFixtures.config(nodeID: 3), provider: SilentBlockProvider())
        let (b, bEvents, _) = try await startNetwork(P2PFixtures.config(nodeID: 2, dial: [liarPort, silentPort]))
        let ready = await eventually { await b.peers().filter { $0.hello != nil }.count == 2 }
        XCTAssertTrue(ready)
        let peers = await b.peers()
        let liarPeer = try XCTUnwrap(peers.first { $0.hello?.nodeID == 1 }?.id)
        let silentPeer = try XCTUnwrap(peers.first { $0.hello?.nodeID == 3 }?.id)
        XCTAssertFalse(bEvents.events.isEmpty)

        for request in 0..<2 {
            do {
                _ = request == 0
                    ? try await b.requestBlocksByRange(liarPeer, startSlot: 0, count: 2)
                    : try await b.requestBlocksByRoot(liarPeer, roots: [P2PFixtures.root(1)])
                XCTFail("a wrong answer is rejected")
            } catch {
                guard case .invalidResponse = error else {
                    return XCTFail("expected an invalid response, got \(error)")
                }
            }
        }
        do {
            _ = try await b.requestBlocksByRange(silentPeer, startSlot: 0, count: 1)
            XCTFail("an unanswered request times out")
        } catch {
            XCTAssertEqual(error, .timeout)
        }
        // Two wrong answers reach the score floor: the liar is dropped, the silent peer is not.
        XCTAssertEqual(-2 * PeerPenalty.invalidResponse.points, PeerNetworkConfig(genesisRoot: .zero, nodeID: 0).scoreMin)
        let liarGone = await eventually { await b.peers().allSatisfy { $0.id != liarPeer } }
        XCTAssertTrue(liarGone)
        let scores = Dictionary(uniqueKeysWithValues: await b.peers().map { ($0.id, $0.score) })
        XCTAssertEqual(scores[silentPeer], -PeerPenalty.requestTimeout.points)
        XCTAssertTrue(bEvents.events.contains {
            if case .disconnected(liarPeer, .sentGoodbye(.lowScore)) = $0 { true } else { false }
        })
        await b.shutdown()
        await liar.shutdown()
        await silent.shutdown()
    }

    func testPenaltiesFromTheNodeDropAPeerAtTheFloor() async throws {
        let (a, aEvents, aPort) = try await startNetwork(P2PFixtures.config(nodeID: 1))
        let (b, bEvents, _) = try await startNetwork(P2PFixtures.config(nodeID: 2, dial: [aPort]))
        let peerFound = await aEvents.connectedPeer()
        let peer = try XCTUnwrap(peerFound)
        let found8 = await bEvents.connectedPeer()
        XCTAssertNotNil(found8)
        a.penalize(peer, .invalidMessage)
        a.penalize(peer, .invalidMessage)
        let score = await a.peers().first?.score
        XCTAssertEqual(score, -2 * PeerPenalty.invalidMessage.points)
        a.penalize(peer, .invalidMessage)
        let reason = await aEvents.disconnectReason()
        XCTAssertEqual(reason, .sentGoodbye(.lowScore))
        let bReason = await bEvents.disconnectReason()
        XCTAssertEqual(bReason, .receivedGoodbye(.lowScore))
        await b.shutdown()
        await a.shutdown()
    }

    func testAPeerThatNeverReadsStaysWithinTheQueueBoundAndIsDropped() async throws {
        var config = P2PFixtures.config(nodeID: 1)
        config.outboundQueueCountMax = 8
        config.socketWriteBufferByteCountMax = 64 * 1024
        config.socketSendBufferByteCount = 32 * 1024
        let (a, aEvents, aPort) = try await startNetwork(config)
        let reader = try RawPeer(port: aPort, receiveBufferByteCount: 4_096)
        reader.send(P2PFixtures.frameBytes(.hello(P2PFixtures.hello(nodeID: 77))))
        let found9 = await aEvents.connectedPeer()
        XCTAssertNotNil(found9)

        // 1.6 MB of distinct transactions: far more than the socket buffers and the queue hold.
        for nonce in 0..<100 {
            a.broadcast(.transaction(P2PFixtures.transaction(nonce: UInt64(nonce), codeByteCount: 16 * 1024)))
        }
        let infoFound = await a.peers().first
        let info = try XCTUnwrap(infoFound)
        XCTAssertLessThanOrEqual(info.outboundQueueCount, config.outboundQueueCountMax)
        XCTAssertEqual(info.outboundQueueCountHighWater, config.outboundQueueCountMax)
        XCTAssertGreaterThan(info.outboundDroppedCount, 0)
        let reason = await aEvents.disconnectReason()
        XCTAssertEqual(reason, .sentGoodbye(.tooSlow))
        let gone = await eventually { await a.peers().isEmpty }
        XCTAssertTrue(gone)
        _ = reader
        await a.shutdown()
    }

    func testANodeThatStartsLateIsDialedOnceItListens() async throws {
        // Learn a free port, release it, and dial it before anything listens there.
        let (probe, _, port) = try await startNetwork(P2PFixtures.config(nodeID: 9))
        await probe.shutdown()
        let (b, bEvents, _) = try await startNetwork(P2PFixtures.config(nodeID: 2, dial: [port]))
        try await Task.sleep(nanoseconds: 100_000_000)
        var late = P2PFixtures.config(nodeID: 1)
        late.listenPort = port
        let (a, aEvents, _) = try await startNetwork(late)
        let found10 = await bEvents.connectedPeer()
        XCTAssertNotNil(found10)
        let found11 = await aEvents.connectedPeer()
        XCTAssertNotNil(found11)
        await b.shutdown()
        await a.shutdown()
    }
}

/// A provider that answers after the requester has given up.
struct SilentBlockProvider: BlockProvider {
    func blocksByRange(startSlot: Slot, count: UInt64) async -> [SignedBlock] {
        try? await Task.sleep(nanoseconds: 1_000_000_000)
        return []
    }

    func blocksByRoot(_ roots: [Root]) async -> [SignedBlock] {
        try? await Task.sleep(nanoseconds: 1_000_000_000)
        return []
    }
}
