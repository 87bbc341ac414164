/// Why a request of the light node to its node failed.
///
/// A closed enum (STYLE.md item 9): a plain-HTTP GET can fail in only these ways. Every case
/// carries what a user needs to act (the node's address or the request path, and the reason), and
/// ``description`` is meant to be printed as is, for example
/// "cannot reach node at http://127.0.0.1:5052: connection refused".
public enum LightHTTPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The node URL, or a request path, cannot be used (the text, and why).
    case malformedURL(String, reason: String)
    /// No connection to the node: refused, unreachable, or its host name does not resolve.
    case cannotConnect(address: String, reason: String)
    /// Connecting plus reading the whole response took longer than the client's timeout.
    case timeout(address: String, path: String, timeout: Duration)
    /// The node answered with a status other than 2xx; `message` is its `{"error": ...}` text.
    case status(Int, path: String, message: String)
    /// The response body is larger than the client's cap, so it was not read to the end.
    case bodyTooLarge(path: String, bytesMax: Int)
    /// The body is not the JSON the caller expected.
    case undecodable(path: String, reason: String)
    /// The connection broke, or the node sent something that is not HTTP/1.1, mid-response.
    case badResponse(address: String, path: String, reason: String)
    /// The task that sent the request was cancelled before the response ended.
    case cancelled(path: String)

    public var description: String {
        switch self {
        case .malformedURL(let text, let reason):
            return "malformed node URL \"\(text)\": \(reason)"
        case .cannotConnect(let address, let reason):
            return "cannot reach node at \(address): \(reason)"
        case .timeout(let address, let path, let timeout):
            return "node at \(address) did not answer GET \(path) within \(Self.format(timeout))"
        case .status(let code, let path, let message):
            return "GET \(path) failed with status \(code): \(message)"
        case .bodyTooLarge(let path, let bytesMax):
            return "GET \(path): the response body is larger than the limit of \(bytesMax) bytes"
        case .undecodable(let path, let reason):
            return "GET \(path): the response is not the expected JSON: \(reason)"
        case .badResponse(let address, let path, let reason):
            return "bad response from node at \(address) to GET \(path): \(reason)"
        case .cancelled(let path):
            return "GET \(path) was cancelled"
        }
    }

    /// Milliseconds below 10 s and seconds above, so "300 ms" and "10 s" both read naturally.
    static func format(_ duration: Duration) -> String {
        let ms = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if ms < 10_000 || ms % 1000 != 0 { return "\(ms) ms" }
        return "\(ms / 1000) s"
    }
}
