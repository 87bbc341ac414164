/// A node's whole answer to one request: its status and its body.
///
/// The body is kept as bytes, not text or JSON, so that callers that check hashes or decode the
/// canonical codec see exactly what the node sent.
public struct HTTPResponse: Hashable, Sendable {
    /// The HTTP status code, for example 200 or 404.
    public let status: Int
    /// The body, after NIOHTTP1 has undone the framing (content-length or chunked).
    public let body: [UInt8]

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - status: An HTTP status code, 100 through 599.
    ///   - body: The body bytes.
    public init(status: Int, body: [UInt8]) {
        precondition(status >= 100, "an HTTP status has three digits")
        precondition(status <= 599, "an HTTP status has three digits")
        self.status = status
        self.body = body
    }

    /// Whether the status is 2xx, the only class a JSON read accepts.
    public var isSuccess: Bool { status >= 200 && status < 300 }
}
