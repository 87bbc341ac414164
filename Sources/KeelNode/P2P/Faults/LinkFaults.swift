import KeelRandom
import Synchronization

/// What the fault layer does with one outgoing message.
public enum FaultDecision: Hashable, Sendable {
    case pass
    case drop
    /// Send it after this many milliseconds.
    case delay(milliseconds: UInt64)
}

/// A testnet node's fault layer: decides, per message and link, whether a message passes, is
/// dropped or is delayed, from the current ``FaultTable``. Each link (this node to node `b`)
/// draws from its own generator, seeded by the table's seed and the two indices, so a run with
/// the same table and traffic makes the same choices.
public final class LinkFaults: Sendable {
    /// This node's index in the testnet.
    public let node: Int

    private struct State {
        var table: FaultTable
        var generators: [Int: SplitMix64] = [:]
        /// Per link, the latest time a delayed message is due: later ones are not sent before it.
        var lastDueMs: [Int: UInt64] = [:]
    }

    private let state: Mutex<State>

    public init(node: Int, table: FaultTable) {
        precondition(node >= 0 && node < table.ports.count, "a testnet node has an index in the table")
        self.node = node
        self.state = Mutex(State(table: table))
    }

    /// The table in force.
    public var table: FaultTable { state.withLock { $0.table } }

    /// Replaces the table (the generators restart from the new seed).
    public func update(_ table: FaultTable) {
        precondition(node < table.ports.count, "the table still lists this node")
        state.withLock { state in
            if state.table.seed != table.seed { state.generators = [:] }
            state.table = table
        }
    }

    /// The node listening on `port`, if the table knows it.
    public func node(listeningOn port: Int) -> Int? { state.withLock { $0.table.ports.firstIndex(of: port) } }

    /// What to do with a message from this node to node `peer`, at wall-clock `nowMs`.
    public func decide(to peer: Int, nowMs: UInt64) -> FaultDecision {
        state.withLock { state in
            let table = state.table.active(atMs: nowMs)
            // Never before a message still held for the link: the link keeps its order even when
            // a fault ends or the jitter comes out at zero.
            let held = state.lastDueMs[peer].flatMap { $0 > nowMs ? $0 : nil }
            guard !table.isEmpty else { return held.map { .delay(milliseconds: $0 - nowMs) } ?? .pass }
            if let partition = table.partition {
                let group = { (node: Int) in partition.groups.firstIndex { $0.contains(node) } }
                if group(node) == nil || group(node) != group(peer) { return .drop }
            }
            var generator = state.generators[peer] ?? SplitMix64(seed: Self.linkSeed(table.seed, node, peer))
            defer { state.generators[peer] = generator }
            let keep = table.loss.filter { $0.node == node || $0.node == peer }.reduce(1.0) { $0 * (1 - $1.p) }
            if keep < 1, Double(generator.next() >> 11) / Double(1 << 53) >= keep { return .drop }
            var delay: UInt64 = 0
            for entry in table.latency where entry.node == node || entry.node == peer {
                let jitter = entry.jitterMs == 0 ? 0 : Int64(generator.next() % (2 * entry.jitterMs + 1)) - Int64(entry.jitterMs)
                delay += UInt64(max(0, Int64(entry.ms) + jitter))
            }
            let due = max(nowMs + delay, held ?? 0)
            guard due > nowMs else { return .pass }
            state.lastDueMs[peer] = due
            return .delay(milliseconds: due - nowMs)
        }
    }

    /// One seed per directed link.
    static func linkSeed(_ seed: UInt64, _ from: Int, _ to: Int) -> UInt64 {
        var mixer = SplitMix64(seed: seed ^ (UInt64(from) << 32) ^ UInt64(to))
        return mixer.next()
    }
}
