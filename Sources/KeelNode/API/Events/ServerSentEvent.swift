import NIOCore

/// One server-sent event (WHATWG HTML, "Server-sent events"): an event name and one line of
/// data, framed as `event: NAME\ndata: DATA\n\n`.
public struct ServerSentEvent: Hashable, Sendable {
    /// The event's name: a `GET /events` topic, or `missed`.
    public var event: String
    /// One line of JSON.
    public var data: String

    public init(event: String, data: String) {
        precondition(!event.contains("\n") && !data.contains("\n"), "an event's name and data are single lines")
        self.event = event
        self.data = data
    }

    /// The event as it goes on the wire.
    public var framed: ByteBuffer { ByteBuffer(string: "event: \(event)\ndata: \(data)\n\n") }

    /// The notice a subscriber gets before its next event when it fell behind and `count`
    /// older events were dropped for it.
    static func missed(_ count: Int) -> ServerSentEvent {
        precondition(count > 0, "a notice of nothing missed is never sent")
        return ServerSentEvent(event: "missed", data: #"{"count":\#(count)}"#)
    }

    /// A comment line, which clients ignore: keeps idle connections (and proxies) open.
    static var keepAlive: ByteBuffer { ByteBuffer(string: ": keep-alive\n\n") }
}
