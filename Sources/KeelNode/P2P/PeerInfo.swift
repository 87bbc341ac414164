/// A snapshot of one connected peer, for the node's API and for tests.
public struct PeerInfo: Hashable, Sendable {
    /// The connection's identifier.
    public var id: PeerID
    /// The peer's address, as text.
    public var address: String
    /// Whether this node dialed the peer.
    public var isOutbound: Bool
    /// The peer's hello, once the handshake completed.
    public var hello: Hello?
    /// The peer's score: starts at 0, lowered by penalties.
    public var score: Int64
    /// Frames waiting in this node's queue for the peer to read.
    public var outboundQueueCount: Int
    /// The most frames that queue ever held.
    public var outboundQueueCountHighWater: Int
    /// Messages dropped because the queue was full.
    public var outboundDroppedCount: Int
}
