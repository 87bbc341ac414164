import KeelChain
@testable import KeelNode
import XCTest

final class FrameDecoderTests: XCTestCase {
    private var stream: [UInt8] {
        WireMessageTests.samples.flatMap(P2PFixtures.frameBytes)
    }

    func testCoalescedFramesDecodeInOrder() throws {
        var accumulator = FrameAccumulator()
        XCTAssertEqual(try accumulator.append(stream), WireMessageTests.samples)
        XCTAssertEqual(accumulator.bufferedByteCount, 0)
    }

    func testByteByByteFeedingDecodesTheSameMessages() throws {
        var accumulator = FrameAccumulator()
        var decoded: [WireMessage] = []
        for byte in stream {
            decoded += try accumulator.append([byte])
        }
        XCTAssertEqual(decoded, WireMessageTests.samples)
    }

    func testSplitsAtEveryOffsetDecodeTheSameMessages() throws {
        let bytes = P2PFixtures.frameBytes(.ping(1)) + P2PFixtures.frameBytes(.block(P2PFixtures.block(slot: 2)))
        for split in 0...bytes.count {
            var accumulator = FrameAccumulator()
            let decoded = try accumulator.append(bytes[0..<split]) + accumulator.append(bytes[split...])
            XCTAssertEqual(decoded, [.ping(1), .block(P2PFixtures.block(slot: 2))], "split at \(split)")
        }
    }

    func testTruncatedFrameWaitsForMoreBytes() throws {
        let frame = P2PFixtures.frameBytes(.attestation(P2PFixtures.attestation(1)))
        for length in 0..<frame.count {
            var accumulator = FrameAccumulator()
            XCTAssertEqual(try accumulator.append(frame[0..<length]), [], "prefix of \(length)")
            XCTAssertEqual(accumulator.bufferedByteCount, length)
        }
    }

    func testOversizeLengthIsRejectedFromThePrefixAlone() {
        var accumulator = FrameAccumulator(frameByteCountMax: 1_000)
        XCTAssertThrowsError(try accumulator.append([0xE9, 0x03, 0, 0])) { error in
            XCTAssertEqual(error as? FrameError, .frameTooLarge(byteCount: 1_001, byteCountMax: 1_000))
        }
        var defaults = FrameAccumulator()
        XCTAssertThrowsError(try defaults.append([0xFF, 0xFF, 0xFF, 0xFF])) { error in
            XCTAssertEqual(
                error as? FrameError, .frameTooLarge(byteCount: UInt32.max, byteCountMax: WireLimits.frameByteCountMax))
        }
    }

    func testEmptyFrameUnknownVersionAndBadPayloadAreRejected() {
        var empty = FrameAccumulator()
        XCTAssertThrowsError(try empty.append([0, 0, 0, 0])) { XCTAssertEqual($0 as? FrameError, .emptyFrame) }
        var version = FrameAccumulator()
        XCTAssertThrowsError(try version.append(P2PFixtures.frameBytes(payload: WireMessage.ping(1).encoded, version: 9))) {
            XCTAssertEqual($0 as? FrameError, .unsupportedVersion(9))
        }
        var payload = FrameAccumulator()
        XCTAssertThrowsError(try payload.append(P2PFixtures.frameBytes(payload: [200]))) {
            XCTAssertEqual($0 as? FrameError, .malformedPayload(.unknownTag(type: "WireMessage", tag: 200)))
        }
        var trailing = FrameAccumulator()
        XCTAssertThrowsError(try trailing.append(P2PFixtures.frameBytes(payload: WireMessage.ping(1).encoded + [0]))) {
            XCTAssertEqual($0 as? FrameError, .malformedPayload(.trailingBytes(type: "WireMessage", count: 1)))
        }
    }

    /// Random streams never trap: each either decodes, waits for more bytes, or is rejected.
    func testRandomBytesNeverCrash() {
        var generator = SplitMixGenerator(seed: 0x5EED)
        var outcomes = [0, 0, 0]
        for _ in 0..<5_000 {
            let count = Int(generator.next() % 64)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if generator.next() % 2 == 0, bytes.count >= 5 {
                // A plausible header, so that payload decoding is exercised too.
                bytes.replaceSubrange(0..<5, with: withUnsafeBytes(of: UInt32(count - 4).littleEndian, Array.init) + [1])
            }
            var accumulator = FrameAccumulator(frameByteCountMax: 1 << 16)
            do {
                let messages = try accumulator.append(bytes)
                outcomes[messages.isEmpty ? 0 : 1] += 1
            } catch {
                outcomes[2] += 1
            }
        }
        XCTAssertGreaterThan(outcomes[0], 0, "some streams wait for more bytes")
        XCTAssertGreaterThan(outcomes[2], 0, "some streams are rejected")
    }

    func testEncoderWritesTheDocumentedLayout() {
        let frame = FrameEncoder.frame(.ping(5))
        XCTAssertEqual(Array(frame.readableBytesView), P2PFixtures.frameBytes(.ping(5)))
        XCTAssertEqual(frame.readableBytes, WireLimits.frameHeaderByteCount + 9)
    }
}

/// SplitMix64, for reproducible random bytes.
struct SplitMixGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
