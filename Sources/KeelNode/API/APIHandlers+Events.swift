import Hummingbird
import KeelConsensus
import NIOCore

extension APIHandlers {
    /// `GET /events?topics=...`: server-sent events of the chosen topics until the client
    /// leaves or the node stops. The stream opens with a comment, so a client sees it is
    /// subscribed before the first event.
    func events(topics text: String?) throws(APIError) -> Response {
        guard let hub = view.events else { throw .notFound("this node serves no events") }
        let topics = try APIRequestParsing.eventTopics(text)
        guard let subscription = hub.subscribe(topics: Set(topics.map(\.rawValue))) else {
            throw APIError(.serviceUnavailable, "too many event subscribers (at most \(hub.subscriberCountMax)); try again later")
        }
        let opening = ": subscribed to \(topics.map(\.rawValue).sorted().joined(separator: ","))\n\n"
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                defer { subscription.cancel() }
                try await writer.write(ByteBuffer(string: opening))
                for await item in subscription { try await writer.write(item.framed) }
                try await writer.finish(nil)
            })
    }
}
