import KeelChain

/// What happened to the chain, as a node's event stream reports it (`GET /events`). Named after
/// the Ethereum Beacon API's events where one exists (`head`, `block`, `finalized_checkpoint`,
/// `chain_reorg`, `attester_slashing`, `proposer_slashing`); `justified_checkpoint` and
/// `transaction` are Keel's own.
public enum ChainEvent: Hashable, Sendable {
    /// Fork choice picked a new head. `epochTransition`: the head is the first block of its
    /// epoch (its parent lies in an earlier one).
    case head(slot: Slot, block: Root, state: Root, epochTransition: Bool)
    /// A block was imported (checked and added to fork choice), head or not.
    case block(slot: Slot, block: Root)
    /// The new head does not descend from the old one. `depth`: slots from the old head back to
    /// the common ancestor. `slot` is the new head's slot, `epoch` its epoch.
    case chainReorg(ChainReorg)
    /// The justified checkpoint moved.
    case justifiedCheckpoint(Checkpoint)
    /// The finalized checkpoint moved; `state` is its block's post-state root.
    case finalizedCheckpoint(Checkpoint, state: Root)
    /// New, checked evidence that a validator voted twice or surrounded a vote.
    case attesterSlashing(AttesterSlashing)
    /// New, checked evidence that a validator proposed twice in a slot.
    case proposerSlashing(ProposerSlashing)
    /// A checked transaction entered the pool (from the API or gossip).
    case transactionPooled(root: Root)

    /// The event's topic, as `GET /events?topics=` names it.
    public var topic: ChainEventTopic {
        switch self {
        case .head: .head
        case .block: .block
        case .chainReorg: .chainReorg
        case .justifiedCheckpoint: .justifiedCheckpoint
        case .finalizedCheckpoint: .finalizedCheckpoint
        case .attesterSlashing: .attesterSlashing
        case .proposerSlashing: .proposerSlashing
        case .transactionPooled: .transaction
        }
    }
}

/// A head change that left the old head's branch.
public struct ChainReorg: Hashable, Sendable {
    public var slot: Slot
    public var depth: UInt64
    public var oldHeadBlock: Root
    public var newHeadBlock: Root
    public var oldHeadState: Root
    public var newHeadState: Root
    public var epoch: Epoch

    public init(
        slot: Slot, depth: UInt64, oldHeadBlock: Root, newHeadBlock: Root, oldHeadState: Root, newHeadState: Root, epoch: Epoch
    ) {
        precondition(oldHeadBlock != newHeadBlock, "a reorg changes the head")
        self.slot = slot
        self.depth = depth
        self.oldHeadBlock = oldHeadBlock
        self.newHeadBlock = newHeadBlock
        self.oldHeadState = oldHeadState
        self.newHeadState = newHeadState
        self.epoch = epoch
    }
}

/// The topics of `GET /events`, spelled as the query names them.
public enum ChainEventTopic: String, CaseIterable, Hashable, Sendable {
    case head
    case block
    case chainReorg = "chain_reorg"
    case justifiedCheckpoint = "justified_checkpoint"
    case finalizedCheckpoint = "finalized_checkpoint"
    case attesterSlashing = "attester_slashing"
    case proposerSlashing = "proposer_slashing"
    case transaction
    /// A testnet's fault table changed (the node publishes it; no chain event maps to it).
    case fault
}
