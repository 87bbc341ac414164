import KeelChain
import NIOCore

/// The network's state: touched only on the network's event loop, through a `NIOLoopBoundBox`.
final class NetworkState {
    /// A bootstrap peer this node keeps dialing.
    struct Dialer {
        let address: PeerAddress
        /// The connection to it, while one is open.
        var peerID: PeerID?
        /// The peer's node identifier, once a handshake told it.
        var nodeID: UInt64?
        var redialDelayMs: Int64
        var redial: Scheduled<Void>?
    }

    var status: ChainStatus
    var peers: [PeerID: PeerConnection] = [:]
    var nextPeerID: UInt64 = 1
    var seen: MessageIDCache
    var dialers: [Dialer] = []
    var serverChannel: (any Channel)?
    var pingTask: RepeatedTask?
    var nextPingNonce: UInt64 = 1
    var isStarted = false
    var isShutDown = false
    var droppedEventCount = 0

    init(status: ChainStatus, seenMessageCountMax: Int) {
        self.status = status
        self.seen = MessageIDCache(countMax: seenMessageCountMax)
    }

    /// The connected peers (handshake complete, not closing), in connection order so that
    /// iteration never depends on dictionary order.
    var connectedPeers: [PeerConnection] {
        peers.values.filter { $0.hello != nil && !$0.isClosing }.sorted { $0.id < $1.id }
    }
}
