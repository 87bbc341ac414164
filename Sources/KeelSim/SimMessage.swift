import KeelChain

/// What travels between simulated nodes.
enum SimMessage: Sendable {
    case block(SignedBlock)
    case attestation(Attestation)
}

/// What the event loop runs.
enum SimEvent: Sendable {
    /// A slot begins: every node ticks, proposers propose.
    case slotStart(Slot)
    /// A third into the slot: the slot's committee attests.
    case attestationDeadline(Slot)
    /// A message reaches a node; `sender` can answer requests for missing blocks.
    case deliver(node: Int, sender: Int, SimMessage)
}
