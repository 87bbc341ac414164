import NIOCore

extension PeerNetwork {
    /// The fault layer's decision for a frame to `connection`: `.pass` unless this is a testnet
    /// node with faults set and the peer is a testnet node it knows (by its listening port: the
    /// dialed port, or the one its hello announces).
    func faultDecision(for connection: PeerConnection) -> FaultDecision {
        guard let faults = config.faults else { return .pass }
        let port = connection.isOutbound ? connection.channel.remoteAddress?.port : connection.hello.map { Int($0.listenPort) }
        guard let port, let peer = faults.node(listeningOn: port) else { return .pass }
        return faults.decide(to: peer, nowMs: SlotClock.systemNowMs())
    }
}
