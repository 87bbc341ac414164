import KeelChain
import KeelCrypto
import NIOCore

/// One connection's state, owned by the network and touched only on its event loop.
final class PeerConnection {
    /// A block request this node sent and is waiting on.
    struct PendingRequest {
        /// What was asked, to check the answer against.
        enum Kind {
            case range(startSlot: Slot, count: UInt64)
            case roots(Set<Root>)
        }

        let kind: Kind
        let promise: EventLoopPromise<[SignedBlock]>
        let timeout: Scheduled<Void>
    }

    let id: PeerID
    let channel: any Channel
    let isOutbound: Bool
    /// The index in the network's dial list, for outbound connections to bootstrap peers.
    let dialerIndex: Int?
    /// The peer's hello once received: `nil` until the handshake completes.
    var hello: Hello?
    var score: Int64 = 0
    /// Set once this node has decided to close; later inbound messages are ignored.
    var isClosing = false
    /// Why the connection is closing, reported in the `disconnected` event.
    var closeReason: DisconnectReason?
    var handshakeTimeout: Scheduled<Void>?
    var lastInbound: NIODeadline

    /// Frames waiting for the socket to drain, bounded by the network's queue limits.
    var outboundQueue: CircularBuffer<ByteBuffer>
    var outboundQueueByteCount = 0
    var outboundQueueCountHighWater = 0
    var outboundDroppedCount = 0
    /// Frames the testnet fault layer holds back (delayed), bounded like the outbound queue.
    var delayedCount = 0

    var pendingRequests: [UInt64: PendingRequest] = [:]
    var nextRequestID: UInt64 = 1
    /// Peer requests being served (the block provider is working on them).
    var servingCount = 0

    init(id: PeerID, channel: any Channel, isOutbound: Bool, dialerIndex: Int?, queueCapacity: Int) {
        self.id = id
        self.channel = channel
        self.isOutbound = isOutbound
        self.dialerIndex = dialerIndex
        self.lastInbound = .now()
        self.outboundQueue = CircularBuffer(initialCapacity: min(queueCapacity, 64))
    }

    /// The remote address as text.
    var address: String {
        channel.remoteAddress.map { "\($0)" } ?? "unknown"
    }

    /// A snapshot for the node.
    var info: PeerInfo {
        PeerInfo(
            id: id, address: address, isOutbound: isOutbound, hello: hello, score: score,
            outboundQueueCount: outboundQueue.count, outboundQueueCountHighWater: outboundQueueCountHighWater,
            outboundDroppedCount: outboundDroppedCount)
    }
}
