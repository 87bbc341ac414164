import KeelChain
import KeelConsensus

/// What the event loop runs.
enum SimEvent: Sendable {
    /// A slot begins: every node ticks, proposers propose.
    case slotStart(Slot)
    /// A third into the slot: the slot's committee attests; the forger forges.
    case attestationDeadline(Slot)
    /// An event reaches a node's core: gossip, or an answer to its request.
    case deliver(node: Int, NodeEvent)
}
