import KeelChain
import KeelCrypto

/// Verified attestations waiting to go into a block, deduplicated by validator and data.
///
/// The pool holds only ``VerifiedAttestation``s: their signature and committee were checked (by
/// `ForkChoiceStore.onAttestation`, or by the state transition of a block that carried them). It re-checks against the proposer's state only what can differ between forks
/// and slots: the inclusion window, the source checkpoint, the committee and what the state
/// already holds.
///
/// - Important: Bounded (STYLE item 13): at most `capacity` attestations. When full, an
///   attestation newer than the oldest held evicts one of the oldest; an older or equally old one
///   is refused.
public struct AttestationPool: Sendable {
    /// What identifies an attestation in the pool: one validator's one vote.
    struct Key: Hashable, Sendable {
        let validatorIndex: ValidatorIndex
        let data: AttestationData

        /// The validator and head vote: with keys kept per slot, what tells one validator's
        /// votes apart almost always (a double vote that differs only in source or target
        /// collides, and equality still compares the whole data). A fraction of the words of
        /// hashing all of it, for a key hashed for every attestation each node receives.
        func hash(into hasher: inout Hasher) {
            hasher.combine(validatorIndex)
            hasher.combine(data.beaconBlockRoot)
        }
    }

    /// What `insert` did.
    public enum InsertResult: Hashable, Sendable {
        case added
        /// The pool already holds this validator's vote with this data.
        case duplicate
        /// The pool is full and holds nothing older to evict.
        case full
    }

    /// The most attestations the pool holds.
    public let capacity: Int
    /// The preset whose timing (`slotsPerEpoch`, `minAttestationInclusionDelay`) and block limit
    /// (`maxAttestations`) the pool applies.
    public let preset: Preset
    /// One slot's attestations: in insertion order (so eviction is deterministic), with their
    /// keys for deduplication. Keys live per slot so that pruning a slot drops its bucket whole,
    /// without hashing each key again.
    private struct Bucket: Sendable {
        var attestations: [Attestation] = []
        var keys: Set<Key> = []
    }

    /// Attestations by their slot.
    private var buckets: [Slot: Bucket] = [:]
    /// The number of attestations held, across buckets.
    public private(set) var count = 0

    /// Creates an empty pool.
    ///
    /// - Parameters:
    ///   - preset: The chain's preset.
    ///   - capacity: The bound; by default two epochs of full blocks
    ///     (`2 · slotsPerEpoch · maxAttestations`), more than can ever be included.
    public init(preset: Preset, capacity: Int? = nil) {
        let capacity = capacity ?? Int(2 * preset.slotsPerEpoch * preset.maxAttestations)
        precondition(capacity >= 1, "a pool holds at least one attestation")
        self.preset = preset
        self.capacity = capacity
    }

    /// Adds a verified attestation.
    ///
    /// - Returns: Whether it was added, already held, or refused because the pool is full.
    @discardableResult
    public mutating func insert(_ verified: VerifiedAttestation) -> InsertResult {
        insert(verified.attestation)
    }

    /// Adds an attestation; internal, so that only verified ones come from outside the module
    /// (tests reach it through `@testable import`).
    @discardableResult
    mutating func insert(_ attestation: Attestation) -> InsertResult {
        let key = Key(validatorIndex: attestation.validatorIndex, data: attestation.data)
        let slot = attestation.data.slot
        // One hash of the key for the common case: the insertion is the duplicate check.
        guard buckets[slot, default: Bucket()].keys.insert(key).inserted else { return .duplicate }
        if count >= capacity {
            // Evict from the oldest slot, first in first out; never evict for an attestation
            // that is no newer (it would be the first to go stale).
            guard let oldest = buckets.keys.min(), oldest < slot, let evicted = buckets[oldest]?.attestations.first else {
                buckets[slot]!.keys.remove(key)
                if buckets[slot]!.attestations.isEmpty { buckets[slot] = nil }
                return .full
            }
            buckets[oldest]!.attestations.removeFirst()
            buckets[oldest]!.keys.remove(Key(validatorIndex: evicted.validatorIndex, data: evicted.data))
            if buckets[oldest]!.attestations.isEmpty { buckets[oldest] = nil }
            count -= 1
        }
        buckets[slot]!.attestations.append(attestation)
        count += 1
        precondition(count <= capacity, "the pool stays within its capacity")
        return .added
    }

    /// Forgets every attestation that no block at `currentSlot` or later can include: those whose
    /// inclusion window (`data.slot + slotsPerEpoch`) has passed.
    public mutating func prune(currentSlot: Slot) {
        let stale = buckets.keys.filter { $0.rawValue &+ preset.slotsPerEpoch < currentSlot.rawValue }
        for slot in stale {
            count -= buckets[slot]!.attestations.count
            buckets[slot] = nil
        }
        precondition(count == buckets.values.reduce(0) { $0 + $1.attestations.count }, "the count is the buckets'")
    }

    /// The attestations a block at `slot` on top of `state` may include, at most
    /// `preset.maxAttestations`, in a deterministic order: oldest slot first (closest to expiry),
    /// then validator index, then data root.
    ///
    /// An attestation qualifies when (phase0 `process_attestation`, evaluated at `slot`):
    /// `data.slot + minAttestationInclusionDelay <= slot <= data.slot + slotsPerEpoch`; its
    /// target epoch is the previous or current epoch at `slot` and matches its slot; its source is
    /// the state's justified checkpoint for that epoch; its validator sits in the committee of
    /// its slot on this fork; and the state holds no attestation of that validator for that
    /// target epoch yet (a second one would earn nothing), nor does the result.
    ///
    /// - Parameters:
    ///   - state: The parent block's post-state (or that state advanced to `slot`).
    ///   - slot: The slot of the block being built, not before the state's slot.
    /// - Returns: The attestations to include; empty when `slot` is before the state's.
    public func attestationsForBlock(state: ChainState, slot: Slot) -> [Attestation] {
        guard slot >= state.slot else { return [] }
        var view = state
        // Crossing an epoch boundary changes the justified checkpoints and moves the pending
        // attestations: process the copy's slots then. Within an epoch nothing read here changes.
        if state.computeEpochAtSlot(slot) > state.getCurrentEpoch(), (try? view.processSlots(slot)) == nil { return [] }
        var included = Set((view.previousEpochAttestations + view.currentEpochAttestations).map {
            VoteKey(validatorIndex: $0.validatorIndex, targetEpoch: $0.data.target.epoch)
        })
        let candidates = includableCandidates(in: view, at: slot, excluding: included)
        var committees: [Epoch: [ValidatorIndex: Slot]] = [:]
        var result: [Attestation] = []
        for attestation in candidates where result.count < Int(preset.maxAttestations) {
            let vote = VoteKey(validatorIndex: attestation.validatorIndex, targetEpoch: attestation.data.target.epoch)
            guard !included.contains(vote) else { continue }
            let epoch = attestation.data.target.epoch
            if committees[epoch] == nil { committees[epoch] = view.getEpochShuffling(epoch).attestationSlots() }
            guard committees[epoch]![attestation.validatorIndex] == attestation.data.slot else { continue }
            result.append(attestation)
            included.insert(vote)
        }
        precondition(result.count <= Int(preset.maxAttestations), "a block holds at most maxAttestations")
        return result
    }

    /// One validator's vote for one target epoch.
    private struct VoteKey: Hashable {
        let validatorIndex: ValidatorIndex
        let targetEpoch: Epoch
    }

    /// The held attestations that pass the window, epoch and source checks at `slot` and are
    /// not votes `state` already holds (most of the pool, once blocks include it), sorted.
    private func includableCandidates(in state: ChainState, at slot: Slot, excluding included: Set<VoteKey>) -> [Attestation] {
        let currentEpoch = state.computeEpochAtSlot(slot)
        let previousEpoch = currentEpoch == Constants.genesisEpoch ? currentEpoch : Epoch(currentEpoch.rawValue - 1)
        var candidates: [(attestation: Attestation, dataRoot: Root)] = []
        for bucketSlot in buckets.keys.sorted() {
            guard bucketSlot.rawValue &+ preset.minAttestationInclusionDelay <= slot.rawValue,
                slot.rawValue <= bucketSlot.rawValue &+ preset.slotsPerEpoch
            else { continue }
            for attestation in buckets[bucketSlot]!.attestations {
                let data = attestation.data
                guard data.target.epoch == state.computeEpochAtSlot(data.slot),
                    !included.contains(VoteKey(validatorIndex: attestation.validatorIndex, targetEpoch: data.target.epoch))
                else { continue }
                let source: Checkpoint
                if data.target.epoch == currentEpoch {
                    source = state.currentJustifiedCheckpoint
                } else if data.target.epoch == previousEpoch {
                    source = state.previousJustifiedCheckpoint
                } else {
                    continue
                }
                guard data.source == source, state.isValidValidatorIndex(attestation.validatorIndex) else { continue }
                candidates.append((attestation, data.hashTreeRoot))
            }
        }
        candidates.sort {
            ($0.attestation.data.slot, $0.attestation.validatorIndex, $0.dataRoot)
                < ($1.attestation.data.slot, $1.attestation.validatorIndex, $1.dataRoot)
        }
        return candidates.map(\.attestation)
    }
}
