/// Why a node closes a connection, sent to the peer in a `goodbye` message.
///
/// A struct with a code rather than a closed enum (STYLE 9): the set will grow, and a peer
/// running a newer version may send a code this one does not know, which still decodes.
public struct GoodbyeReason: Hashable, Sendable, CustomStringConvertible {
    /// The wire code.
    public var code: UInt8

    /// Creates a reason from its wire code.
    public init(code: UInt8) {
        self.code = code
    }

    /// The node is shutting down.
    public static let clientShutdown = GoodbyeReason(code: 1)
    /// The peer follows another chain: its genesis root differs.
    public static let genesisMismatch = GoodbyeReason(code: 2)
    /// The peer speaks another protocol version.
    public static let protocolVersionMismatch = GoodbyeReason(code: 3)
    /// The peer sent bytes that are not a valid frame or message.
    public static let malformedMessage = GoodbyeReason(code: 4)
    /// The peer did not say hello in time, or went silent.
    public static let timeout = GoodbyeReason(code: 5)
    /// The peer's score fell below the threshold.
    public static let lowScore = GoodbyeReason(code: 6)
    /// The peer table is full.
    public static let tooManyPeers = GoodbyeReason(code: 7)
    /// The peer does not read what is sent to it fast enough.
    public static let tooSlow = GoodbyeReason(code: 8)
    /// We are already connected to this node (or the peer is ourselves).
    public static let duplicateConnection = GoodbyeReason(code: 9)
    /// The peer broke the protocol: a message before hello, a second hello.
    public static let protocolViolation = GoodbyeReason(code: 10)

    /// The reason's name, or its code if this version does not know it.
    public var description: String {
        switch code {
        case 1: "client shutdown"
        case 2: "genesis mismatch"
        case 3: "protocol version mismatch"
        case 4: "malformed message"
        case 5: "timeout"
        case 6: "low score"
        case 7: "too many peers"
        case 8: "too slow"
        case 9: "duplicate connection"
        case 10: "protocol violation"
        default: "goodbye code \(code)"
        }
    }
}
