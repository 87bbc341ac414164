/// A host and port to dial.
public struct PeerAddress: Hashable, Sendable, CustomStringConvertible {
    /// A host name or IP address.
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        precondition(port > 0 && port <= 65_535, "a TCP port to dial is in 1...65535")
        self.host = host
        self.port = port
    }

    /// `host:port`.
    public var description: String { "\(host):\(port)" }
}
