import KeelChain
import KeelCrypto
@testable import KeelNode
import XCTest

final class WireMessageTests: XCTestCase {
    static let samples: [WireMessage] = [
        .hello(P2PFixtures.hello()),
        .goodbye(.genesisMismatch),
        .goodbye(GoodbyeReason(code: 200)),
        .ping(7), .pong(UInt64.max),
        .block(P2PFixtures.block(slot: 3, transactionCount: 2)),
        .attestation(P2PFixtures.attestation(4)),
        .proposerSlashing(ProposerSlashing(
            signedHeader1: SignedBlockHeader(
                message: BlockHeader(slot: 1, proposerIndex: 2, parentRoot: P2PFixtures.root(1), stateRoot: .zero,
                    bodyRoot: .zero), signature: P2PFixtures.signature(1)),
            signedHeader2: SignedBlockHeader(
                message: BlockHeader(slot: 1, proposerIndex: 2, parentRoot: P2PFixtures.root(2), stateRoot: .zero,
                    bodyRoot: .zero), signature: P2PFixtures.signature(2)))),
        .attesterSlashing(AttesterSlashing(
            attestation1: P2PFixtures.attestation(5), attestation2: P2PFixtures.attestation(6))),
        .transaction(P2PFixtures.transaction(nonce: 9, codeByteCount: 40)),
        .blocksByRangeRequest(requestID: 1, startSlot: 10, count: WireLimits.responseBlockCountMax),
        .blocksByRootRequest(requestID: 2, roots: [P2PFixtures.root(1), P2PFixtures.root(2)]),
        .blocksResponse(requestID: 3, blocks: [P2PFixtures.block(slot: 1), P2PFixtures.block(slot: 2)]),
        .blocksResponse(requestID: 4, blocks: []),
    ]

    func testEveryCaseRoundTripsCanonically() throws {
        for message in Self.samples {
            let bytes = message.encoded
            let decoded = try WireMessage(decoding: bytes)
            XCTAssertEqual(decoded, message)
            XCTAssertEqual(decoded.encoded, bytes, "one encoding per message")
        }
        XCTAssertEqual(Set(Self.samples.map { $0.encoded[0] }).count, 12, "every tag is exercised")
    }

    func testGossipIsExactlyTheFiveBroadcastKinds() {
        XCTAssertEqual(Self.samples.filter(\.isGossip).count, 5)
        XCTAssertEqual(WireMessage.ping(1).messageID, WireMessage.ping(1).messageID)
        XCTAssertNotEqual(WireMessage.ping(1).messageID, WireMessage.ping(2).messageID)
    }

    func testUnknownTagIsRejected() {
        for tag in UInt8(12)...UInt8(255) {
            XCTAssertThrowsError(try WireMessage(decoding: [tag, 0, 0, 0, 0, 0, 0, 0, 0])) { error in
                XCTAssertEqual(error as? DecodingError, .unknownTag(type: "WireMessage", tag: tag))
            }
        }
        XCTAssertThrowsError(try WireMessage(decoding: [])) { error in
            guard case .truncated = error as? DecodingError else {
                return XCTFail("empty input is truncated, got \(error)")
            }
        }
    }

    func testTrailingBytesAreRejected() {
        for message in Self.samples {
            XCTAssertThrowsError(try WireMessage(decoding: message.encoded + [0])) { error in
                XCTAssertEqual(error as? DecodingError, .trailingBytes(type: "WireMessage", count: 1))
            }
        }
    }

    func testEveryTruncationIsRejected() {
        let bytes = WireMessage.block(P2PFixtures.block(slot: 3, transactionCount: 1)).encoded
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try WireMessage(decoding: bytes[0..<length]), "prefix of \(length) bytes")
        }
    }

    func testListsOverTheirLimitsAreRejectedBeforeAllocating() {
        let roots = (0...WireLimits.requestRootCountMax).map { P2PFixtures.root($0) }
        let rootRequest = WireMessage.blocksByRootRequest(requestID: 1, roots: roots).encoded
        XCTAssertThrowsError(try WireMessage(decoding: rootRequest)) { error in
            XCTAssertEqual(error as? DecodingError, .listTooLong(
                field: "blocksByRootRequest.roots", count: WireLimits.requestRootCountMax + 1,
                limit: WireLimits.requestRootCountMax))
        }
        let blocks = (0...WireLimits.responseBlockCountMax).map { P2PFixtures.block(slot: $0) }
        XCTAssertThrowsError(try WireMessage(decoding: WireMessage.blocksResponse(requestID: 1, blocks: blocks).encoded)) {
            guard case .listTooLong(field: "blocksResponse.blocks", _, _) = $0 as? DecodingError else {
                return XCTFail("expected listTooLong, got \($0)")
            }
        }
        let range = WireMessage.blocksByRangeRequest(
            requestID: 1, startSlot: 0, count: WireLimits.responseBlockCountMax + 1).encoded
        XCTAssertThrowsError(try WireMessage(decoding: range))
        // A count of u32 max with no elements behind it fails at once, not after a huge reserve.
        let huge: [UInt8] = [WireMessage.Tag.blocksResponse.rawValue] + [UInt8](repeating: 0, count: 8)
            + [0xFF, 0xFF, 0xFF, 0xFF]
        XCTAssertThrowsError(try WireMessage(decoding: huge))
    }

    func testRangePastTheLastSlotAndOversizePortAreRejected() {
        let range = WireMessage.blocksByRangeRequest(requestID: 1, startSlot: Slot(UInt64.max - 1), count: 2).encoded
        XCTAssertThrowsError(try WireMessage(decoding: range))
        var hello = WireMessage.hello(P2PFixtures.hello()).encoded
        hello.replaceSubrange((hello.count - 4)..., with: [0, 0, 1, 0])
        XCTAssertThrowsError(try WireMessage(decoding: hello)) { error in
            guard case .invalidValue(field: "hello.listenPort", _) = error as? DecodingError else {
                return XCTFail("expected an invalid port, got \(error)")
            }
        }
    }

    func testLimitsFitTheFrame() {
        let rootRequestBytes = 1 + 8 + 4 + 32 * Int(WireLimits.requestRootCountMax)
        XCTAssertLessThan(rootRequestBytes, Int(WireLimits.frameByteCountMax))
        XCTAssertGreaterThanOrEqual(WireLimits.responseBlockCountMax, 1)
        XCTAssertEqual(WireMessage.signedBlockByteCountMin, WireMessage.block(P2PFixtures.block(slot: 0)).encoded.count - 1)
    }
}
