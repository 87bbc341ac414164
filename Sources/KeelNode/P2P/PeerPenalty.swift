/// A score penalty for a peer's misbehaviour: reported by the network itself (malformed frames,
/// protocol violations, slow reading) or by the node through ``PeerNetwork/penalize(_:_:)``
/// (a block or signature that does not verify).
///
/// A struct rather than a closed enum (STYLE 9): the node will add reasons.
public struct PeerPenalty: Hashable, Sendable, CustomStringConvertible {
    /// What the peer did.
    public var reason: String
    /// How many points it costs; a peer whose score falls to ``PeerNetworkConfig/scoreMin`` or
    /// below is dropped.
    public var points: Int64

    /// Creates a penalty.
    ///
    /// - Parameters:
    ///   - reason: What the peer did, for logs.
    ///   - points: The cost, positive.
    public init(reason: String, points: Int64) {
        precondition(points > 0, "a penalty costs points")
        self.reason = reason
        self.points = points
    }

    /// Content that decoded but is invalid: a bad signature, a block that fails the transition.
    public static let invalidMessage = PeerPenalty(reason: "invalid message", points: 40)
    /// A message out of protocol order: a request before hello, a second hello.
    public static let protocolViolation = PeerPenalty(reason: "protocol violation", points: 100)
    /// A response that does not answer the request (wrong slots, unrequested roots) or answers
    /// no request at all.
    public static let invalidResponse = PeerPenalty(reason: "invalid response", points: 50)
    /// A request that was not answered in time.
    public static let requestTimeout = PeerPenalty(reason: "request timed out", points: 10)
    /// A message dropped because the peer's outbound queue was full.
    public static let slowReader = PeerPenalty(reason: "outbound queue full", points: 10)
    /// More requests than the peer may have in flight.
    public static let tooManyRequests = PeerPenalty(reason: "too many requests in flight", points: 20)

    /// `reason (-points)`.
    public var description: String { "\(reason) (-\(points))" }
}
