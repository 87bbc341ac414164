import NIOCore
import NIOPosix

extension PeerNetwork {
    /// How long a TCP connect may take.
    static let connectTimeoutMs: Int64 = 2_000

    /// Dials bootstrap peer `index`, unless a connection to it (or to its node) is open.
    func dial(_ index: Int) {
        let state = self.state.value
        guard !state.isShutDown, state.dialers[index].peerID == nil else {
            return
        }
        if let nodeID = state.dialers[index].nodeID,
            state.connectedPeers.contains(where: { $0.hello?.nodeID == nodeID })
        {
            // Already connected to that node through its own dial: check again later.
            scheduleRedial(index)
            return
        }
        let address = state.dialers[index].address
        ClientBootstrap(group: eventLoop)
            .connectTimeout(.milliseconds(Self.connectTimeoutMs))
            .channelOption(.writeBufferWaterMark, value: writeBufferWaterMark)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.setUpChannel(channel, isOutbound: true, dialerIndex: index)
                }
            }
            .connect(host: address.host, port: address.port)
            .whenFailure { error in
                self.logger.debug("dial failed", metadata: ["address": "\(address)", "error": "\(error)"])
                self.eventLoop.execute {
                    self.forgetFailedDial(index)
                }
            }
    }

    /// A dial failed before its channel became active (so `channelInactive` never fires):
    /// forget the connection set up for it, silently, and dial again later.
    private func forgetFailedDial(_ index: Int) {
        let state = self.state.value
        if let id = state.dialers[index].peerID {
            let connection = state.peers.removeValue(forKey: id)
            precondition(connection?.hello == nil, "a failed dial never completed a handshake")
            state.dialers[index].peerID = nil
        }
        scheduleRedial(index)
    }

    /// Dials bootstrap peer `index` again after its current delay, and doubles the delay.
    func scheduleRedial(_ index: Int) {
        let state = self.state.value
        guard !state.isShutDown else {
            return
        }
        let delayMs = state.dialers[index].redialDelayMs
        precondition(delayMs >= 1, "a redial waits")
        state.dialers[index].redialDelayMs = min(2 * delayMs, config.redialDelayMsMax)
        state.dialers[index].redial?.cancel()
        state.dialers[index].redial = eventLoop.scheduleTask(in: .milliseconds(delayMs)) {
            self.state.value.dialers[index].redial = nil
            self.dial(index)
        }
    }
}
