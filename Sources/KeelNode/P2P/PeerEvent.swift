/// What the network tells the node, in the order it happened.
public enum PeerEvent: Sendable {
    /// A peer completed the handshake; its hello says where its chain stands.
    case connected(PeerID, Hello)
    /// A message from a connected peer: gossip seen for the first time (the node validates it,
    /// then forwards it with ``PeerNetwork/broadcast(_:except:)``).
    case message(PeerID, WireMessage)
    /// A connection closed, and why (also for connections that never completed the handshake).
    case disconnected(PeerID, DisconnectReason)
}
