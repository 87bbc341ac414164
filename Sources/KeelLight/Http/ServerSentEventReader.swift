/// Splits a server-sent event stream (`GET /events`), fed in arbitrary chunks, into events:
/// each `event: NAME` line names the next `data: ...` line; comments (keep-alives) and blank
/// lines are skipped. A line split across chunks is held until its newline arrives.
public struct ServerSentEventReader: Sendable {
    private var pending: [UInt8] = []
    private var event = "message"

    public init() {}

    /// The events completed by `bytes`, in order, as (name, data).
    public mutating func feed(_ bytes: [UInt8]) -> [(event: String, data: String)] {
        pending += bytes
        var events: [(event: String, data: String)] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: pending[..<newline], as: UTF8.self)
            pending.removeSubrange(...newline)
            if line.hasPrefix("event: ") {
                event = String(line.dropFirst(7))
            } else if line.hasPrefix("data: ") {
                events.append((event, String(line.dropFirst(6))))
                event = "message"
            }
        }
        return events
    }
}
