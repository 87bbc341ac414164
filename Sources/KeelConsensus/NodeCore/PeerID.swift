/// A connection to a peer, numbered by this node in the order connections were made. A peer
/// that reconnects gets a new identifier.
public struct PeerID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The connection number.
    public var rawValue: UInt64

    /// Creates an identifier.
    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Orders by connection number.
    public static func < (lhs: PeerID, rhs: PeerID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `peer#N`.
    public var description: String { "peer#\(rawValue)" }
}
