/// Why a block request failed.
public enum PeerRequestError: Error, Hashable, Sendable {
    /// No connected peer has this identifier.
    case unknownPeer(PeerID)
    /// The peer did not answer within the request timeout.
    case timeout
    /// The connection closed before the answer came.
    case peerDisconnected
    /// The answer did not match the request: the reason says how.
    case invalidResponse(String)
    /// Too many requests to this peer are already in flight.
    case tooManyRequestsInFlight
    /// The network is shut down.
    case shutdown
}
