import NIOCore

/// The last handler of a peer's pipeline: hands decoded messages, errors and socket events to
/// the network, which runs on the same event loop.
final class PeerChannelHandler: ChannelInboundHandler {
    typealias InboundIn = WireMessage

    private let network: PeerNetwork
    private let peerID: PeerID

    init(network: PeerNetwork, peerID: PeerID) {
        self.network = network
        self.peerID = peerID
    }

    func channelActive(context: ChannelHandlerContext) {
        network.connectionActive(peerID)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        network.received(unwrapInboundIn(data), from: peerID)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        network.connectionFailed(peerID, error: error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        network.connectionClosed(peerID)
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        network.writabilityChanged(peerID)
        context.fireChannelWritabilityChanged()
    }
}
