import KeelLight
import XCTest

/// The event-stream reader: events split across chunks, comments and blank lines skipped.
final class ServerSentEventReaderTests: XCTestCase {
    func testEventsSplitAcrossChunksComeOutWholeAndCommentsAreSkipped() {
        var reader = ServerSentEventReader()
        let stream = ": subscribed to head\n\nevent: head\ndata: {\"slot\":1}\n\n: keep-alive\n\nevent: missed\ndata: {\"count\":3}\n\n"
        let bytes = Array(stream.utf8)
        var events: [String] = []
        for start in stride(from: 0, to: bytes.count, by: 7) {
            events += reader.feed(Array(bytes[start..<min(start + 7, bytes.count)])).map { "\($0.event) \($0.data)" }
        }
        XCTAssertEqual(events, [#"head {"slot":1}"#, #"missed {"count":3}"#])
        XCTAssertEqual(reader.feed(Array("data: x".utf8)).count, 0, "no newline yet: held")
        XCTAssertEqual(reader.feed(Array("\n".utf8)).map(\.event), ["message"], "data without a name is a message")
    }
}
