/// The simulated network: every message goes from one node to each other node after a drawn
/// latency, unless it is lost or a partition separates the two. All draws come from the run's
/// one generator, in event order, so the same seed gives the same deliveries.
struct SimNetwork {
    let config: SimConfig
    var random: SplitMix64

    /// Which half of a partition a node is in.
    func side(_ node: Int) -> Int { node < config.nodeCount / 2 ? 0 : 1 }

    func isPartitioned(_ from: Int, _ to: Int, epoch: UInt64) -> Bool {
        guard let range = config.partitionEpochs, range.contains(epoch) else { return false }
        return side(from) != side(to)
    }

    /// When a message sent at `time` in `epoch` from `from` reaches `to`, or nil if it never does.
    mutating func deliveryTime(from: Int, to: Int, sentAt time: UInt64, epoch: UInt64) -> UInt64? {
        if from == to { return time }
        guard !isPartitioned(from, to, epoch: epoch) else { return nil }
        if config.lossProbability > 0 && Double(random.next() >> 11) / Double(1 << 53) < config.lossProbability {
            return nil
        }
        let spread = config.latencyMs
        let latency = spread == 0 ? 0 : spread / 2 + random.next() % (spread + 1)
        return time + latency
    }
}
