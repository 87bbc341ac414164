import KeelChain
import KeelConsensus
import KeelCrypto

/// One simulated node: its own view of the chain (fork choice store), pools and detector, and
/// the validators it hosts.
struct SimNode {
    let id: Int
    var store: ForkChoiceStore
    var pool: AttestationPool
    var detector = SlashingDetector()
    /// Blocks whose parent is unknown, by that parent's root (bounded by `orphanCountMax`).
    var orphans: [Root: [SignedBlock]] = [:]
    var orphanCount = 0
    /// Attestations for blocks not yet known, retried after each import (bounded).
    var waitingAttestations: [Attestation] = []
    /// The head state advanced to a slot, cached for the slot's proposer and attesters.
    var advancedHead: (slot: Slot, head: Root, state: ChainState)?

    static let orphanCountMax = 4_096
    static let waitingAttestationCountMax = 65_536

    init(id: Int, genesis: ChainState) {
        self.id = id
        self.store = ForkChoiceStore(anchorState: genesis, currentSlot: genesis.slot)
        self.pool = AttestationPool(preset: genesis.preset)
    }

    /// The head block's state processed up to `slot` (phase0 honest validator: duties and votes
    /// are computed on the head state advanced to the current slot).
    mutating func headState(at slot: Slot) -> (head: Root, state: ChainState) {
        let head = store.getHead()
        if let cached = advancedHead, cached.slot == slot, cached.head == head { return (head, cached.state) }
        guard var state = store.state(head) else { preconditionFailure("the head has a state") }
        if state.slot < slot {
            do { try state.processSlots(slot) } catch { preconditionFailure("advancing the head failed: \(error)") }
        }
        advancedHead = (slot, head, state)
        return (head, state)
    }

    mutating func addOrphan(_ block: SignedBlock) {
        guard orphanCount < Self.orphanCountMax else { return }
        let parent = block.message.parentRoot
        guard !(orphans[parent]?.contains(block) ?? false) else { return }
        orphans[parent, default: []].append(block)
        orphanCount += 1
    }

    /// The orphans waiting for `parent`, removed from the pool.
    mutating func takeOrphans(of parent: Root) -> [SignedBlock] {
        let children = orphans.removeValue(forKey: parent) ?? []
        orphanCount -= children.count
        return children
    }

    mutating func addWaiting(_ attestation: Attestation) {
        guard waitingAttestations.count < Self.waitingAttestationCountMax else { return }
        waitingAttestations.append(attestation)
    }
}
