import KeelChain
import KeelCrypto

/// Everything a ``PeerNetwork`` needs to know before it starts. The defaults suit a local
/// devnet; tests shorten the timeouts.
public struct PeerNetworkConfig: Sendable {
    /// The root of this node's genesis block; peers with another are disconnected.
    public var genesisRoot: Root
    /// This node's identifier in hellos: random, so that self-connections and duplicate
    /// connections are recognised.
    public var nodeID: UInt64
    /// The host to listen on.
    public var listenHost: String = "127.0.0.1"
    /// The port to listen on; 0 picks a free port.
    public var listenPort: Int = 0
    /// Peers to dial and keep dialing (with backoff) whenever not connected.
    public var bootstrapPeers: [PeerAddress] = []
    /// The most connections at once, in and out.
    public var peerCountMax: Int = 64
    /// How long a new connection may take to say hello.
    public var handshakeTimeoutMs: Int64 = 5_000
    /// How often connected peers are pinged.
    public var pingIntervalMs: Int64 = 5_000
    /// How long a connected peer may stay silent (not even answering pings) before it is dropped.
    public var idleTimeoutMs: Int64 = 20_000
    /// How long a block request may wait for its answer.
    public var requestTimeoutMs: Int64 = 5_000
    /// The most requests to one peer in flight at once, each way.
    public var requestsInFlightMax: Int = 8
    /// The first redial delay; it doubles after each failure up to ``redialDelayMsMax``.
    public var redialDelayMsMin: Int64 = 100
    /// The longest redial delay.
    public var redialDelayMsMax: Int64 = 10_000
    /// The most frames queued for one peer that is not reading; further messages are dropped and
    /// the peer penalised.
    public var outboundQueueCountMax: Int = 1_024
    /// The most bytes queued for one peer, whichever bound is hit first.
    public var outboundQueueByteCountMax: Int = 32 * 1024 * 1024
    /// The bytes NIO may hold for a socket before the network queues instead (its high
    /// water mark).
    public var socketWriteBufferByteCountMax: Int = 1024 * 1024
    /// The kernel's send buffer for each peer socket (`SO_SNDBUF`), or `nil` for the system's
    /// default; smaller values make a peer that does not read show up sooner.
    public var socketSendBufferByteCount: Int? = nil
    /// The most gossip identifiers remembered for de-duplication.
    public var seenMessageCountMax: Int = 65_536
    /// The most events waiting for the node; when full, new events are dropped (gossip is
    /// re-sent by others and sync fills gaps).
    public var eventQueueCountMax: Int = 16_384
    /// The lowest score a peer may have before it is dropped.
    public var scoreMin: Int64 = -100
    /// The largest frame accepted.
    public var frameByteCountMax: UInt32 = WireLimits.frameByteCountMax
    /// A testnet node's fault layer (`keel testnet fault`): drops and delays what this node
    /// sends, per link. Nil (no faults) for every other node.
    public var faults: LinkFaults? = nil

    /// Creates a configuration with the defaults for everything but the chain and the node.
    ///
    /// - Parameters:
    ///   - genesisRoot: The genesis block's root.
    ///   - nodeID: This node's identifier in hellos.
    public init(genesisRoot: Root, nodeID: UInt64) {
        self.genesisRoot = genesisRoot
        self.nodeID = nodeID
    }
}
