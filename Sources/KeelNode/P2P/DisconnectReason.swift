/// Why a connection closed, from this node's side.
public enum DisconnectReason: Hashable, Sendable, CustomStringConvertible {
    /// This node said goodbye for this reason.
    case sentGoodbye(GoodbyeReason)
    /// The peer said goodbye for this reason.
    case receivedGoodbye(GoodbyeReason)
    /// The peer sent bytes that are not a valid frame.
    case malformedFrame(FrameError)
    /// The connection closed without a goodbye.
    case connectionClosed

    /// One readable line.
    public var description: String {
        switch self {
        case .sentGoodbye(let reason): "sent goodbye: \(reason)"
        case .receivedGoodbye(let reason): "received goodbye: \(reason)"
        case .malformedFrame(let error): "malformed frame: \(error)"
        case .connectionClosed: "connection closed"
        }
    }
}
