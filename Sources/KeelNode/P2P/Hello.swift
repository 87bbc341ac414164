import KeelChain
import KeelCrypto

/// The first message each side of a connection sends: who it is, which chain it follows, and
/// where that chain stands.
///
/// A peer whose `protocolVersion` or `genesisRoot` differs from ours is on another network and
/// is disconnected with a reason; the rest tells the node whether the peer is ahead (so it can
/// sync from it by range and by root).
public struct Hello: Hashable, Sendable {
    /// The wire protocol version the sender speaks (``WireLimits/protocolVersion``).
    public var protocolVersion: UInt8
    /// The root of the sender's genesis block: both sides must agree on it.
    public var genesisRoot: Root
    /// The sender's current chain status.
    public var status: ChainStatus
    /// A random identifier the sender chose at start-up, to recognise self-connections and
    /// duplicate connections.
    public var nodeID: UInt64
    /// The TCP port the sender listens on (0 if it does not listen).
    public var listenPort: UInt16

    /// Creates a hello.
    public init(protocolVersion: UInt8, genesisRoot: Root, status: ChainStatus, nodeID: UInt64, listenPort: UInt16) {
        self.protocolVersion = protocolVersion
        self.genesisRoot = genesisRoot
        self.status = status
        self.nodeID = nodeID
        self.listenPort = listenPort
    }
}
