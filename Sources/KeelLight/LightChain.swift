import KeelChain
import KeelCrypto
import KeelFormats
import KeelProof

/// A block a light node has verified, and what it learned from it.
public struct LightVerifiedBlock: Sendable {
    public let root: Root
    public let slot: Slot
    public let stateRoot: Root
    /// The post-state's fields and validators, proven against `stateRoot`.
    public let registry: ChainState
    /// The votes seen on this branch up to and including this block.
    public let tally: FinalityTally
    /// Justified and finalized as the light node accepts them: the state's, each checked
    /// against `tally` when it moved.
    public var justified: Checkpoint { registry.currentJustifiedCheckpoint }
    public var finalized: Checkpoint { registry.finalizedCheckpoint }
}

/// What verifying one block produced, for printing.
public struct LightBlockReport: Sendable {
    public let slot: Slot
    public let root: Root
    public let stateRoot: Root
    public let verifier: String
    public let vmSteps: UInt64
    /// Set when this block moved finality.
    public let newlyFinalized: Checkpoint?
    public let newlyJustified: Checkpoint?
}

/// The light node's core: verified blocks by root, from a trusted anchor, with no state beyond
/// each block's registry (fields and validators).
///
/// Per block it checks, in order: the parent was verified; the proposer's signature under the
/// parent registry's key; every attestation's signature (the votes it will count); the
/// post-state root, by the chosen ``StateRootVerifier``; and that any move of justification
/// or finality in the verified state is carried by at least 2/3 of the active stake in the votes
/// it checked. Pure: fetching and timing are the caller's.
public struct LightChain: Sendable {
    public let preset: Preset
    public let genesisRoot: Root
    public private(set) var blocks: [Root: LightVerifiedBlock] = [:]
    /// The newest verified block.
    public private(set) var latest: Root

    /// Starts from a trusted block: genesis, or a checkpoint the user trusts.
    ///
    /// - Parameter registry: the block's post-state (genesis: the whole genesis state; a
    ///   checkpoint: its registry proof opened against the block's state root).
    public init(anchorRoot: Root, anchorSlot: Slot, stateRoot: Root, registry: ChainState) {
        preset = registry.preset
        genesisRoot = registry.genesisRoot
        blocks[anchorRoot] = LightVerifiedBlock(
            root: anchorRoot, slot: anchorSlot, stateRoot: stateRoot, registry: registry, tally: FinalityTally())
        latest = anchorRoot
    }

    /// Starts from the genesis block of `genesis`, the whole genesis state.
    public init(genesis: ChainState) {
        var state = genesis
        let root = state.genesisBlockRoot()
        self.init(anchorRoot: root, anchorSlot: state.slot, stateRoot: state.hashTreeRoot(), registry: state)
    }

    /// The most blocks kept; past it the oldest go first (finality normally prunes long before,
    /// this bounds memory while it stalls).
    public static let blocksMax = 4_096

    public func isVerified(_ root: Root) -> Bool { blocks[root] != nil }

    /// Verifies `data.block` on top of its verified parent and records it.
    public mutating func verify(_ data: LightBlockData, with verifier: StateRootVerifier) throws(LightVerificationError) -> LightBlockReport {
        let block = data.block.message
        let root = block.hashTreeRoot
        guard let parent = blocks[block.parentRoot] else { throw .unknownParent(block.parentRoot) }
        guard block.slot > parent.slot else { throw .slotNotAfterParent(slot: block.slot, parent: parent.slot) }
        try checkProposer(data.block, root: root, parent: parent)
        var tally = parent.tally
        try countVotes(block.body.attestations, registry: parent.registry, into: &tally)

        let post: ChainState
        let vmSteps: UInt64
        switch verifier {
        case .reexec:
            guard let witness = data.witness else { throw .missingData("the block witness") }
            let outcome: StatelessReexecution.Outcome
            do {
                outcome = try StatelessReexecution.verify(data.block, preStateRoot: parent.stateRoot, witness: witness, preset: preset)
            } catch {
                throw .reexecution(error)
            }
            post = outcome.postState
            vmSteps = outcome.claim.vmSteps
            if let served = data.receipts { try Self.checkReceipts(served, of: data.block, root: root, on: outcome.preState) }
        case .proof(let system):
            guard let (proof, claimedSteps) = data.proof else { throw .missingData("the proof") }
            guard let registry = data.registry else { throw .missingData("the registry proof") }
            let claim = TransitionClaim(
                preStateRoot: parent.stateRoot, blockRoot: root, postStateRoot: block.stateRoot, vmSteps: claimedSteps)
            do { try system.verify(proof, of: claim, block: data.block) } catch { throw .proof(error) }
            do { post = try registry.open(root: block.stateRoot, preset: preset) } catch { throw .registry(error) }
            vmSteps = claimedSteps
        }

        let newlyJustified = post.currentJustifiedCheckpoint != parent.justified ? post.currentJustifiedCheckpoint : nil
        let newlyFinalized = post.finalizedCheckpoint != parent.finalized ? post.finalizedCheckpoint : nil
        if let checkpoint = newlyJustified { try requireVotes(for: checkpoint, kind: "justifies", parent: parent, slot: block.slot) }
        // phase0 finalizes only a checkpoint the state held as justified, and the light node
        // accepted each of those on their votes when it became justified (or trusts its anchor).
        if let checkpoint = newlyFinalized,
            checkpoint != parent.justified, checkpoint != parent.registry.previousJustifiedCheckpoint, checkpoint != newlyJustified {
            try requireVotes(for: checkpoint, kind: "finalizes", parent: parent, slot: block.slot)
        }
        if let newlyFinalized {
            tally.prune(before: newlyFinalized.epoch)
            // Nothing before finality can be a parent again; the light node keeps only the rest.
            if let finalizedSlot = blocks[newlyFinalized.root]?.slot { blocks = blocks.filter { $0.value.slot >= finalizedSlot } }
        }
        blocks[root] = LightVerifiedBlock(root: root, slot: block.slot, stateRoot: block.stateRoot, registry: post, tally: tally)
        if block.slot > blocks[latest]!.slot { latest = root }
        if blocks.count > Self.blocksMax {
            let oldest = blocks.values.filter { $0.root != latest }.sorted { $0.slot < $1.slot }.prefix(blocks.count - Self.blocksMax)
            for block in oldest { blocks[block.root] = nil }
        }
        return LightBlockReport(
            slot: block.slot, root: root, stateRoot: block.stateRoot, verifier: verifier.name, vmSteps: vmSteps,
            newlyFinalized: newlyFinalized, newlyJustified: newlyJustified)
    }

    /// Counts the votes in the anchor's ancestors (oldest first, ending with the anchor block
    /// itself), which epoch processing after the anchor still weighs. Their links to the anchor
    /// and their signatures are checked; their state is not (the anchor is trusted).
    public mutating func seedVotes(from ancestors: [SignedBlock]) throws(LightVerificationError) {
        guard var anchor = blocks[latest], blocks.count == 1 else { preconditionFailure("seed a fresh light chain only") }
        guard let last = ancestors.last, last.message.hashTreeRoot == anchor.root else {
            throw .missingData("ancestors ending at the anchor block")
        }
        for (older, newer) in zip(ancestors, ancestors.dropFirst()) where newer.message.parentRoot != older.message.hashTreeRoot {
            throw .unknownParent(newer.message.parentRoot)
        }
        var tally = anchor.tally
        for block in ancestors { try countVotes(block.message.body.attestations, registry: anchor.registry, into: &tally) }
        anchor = LightVerifiedBlock(root: anchor.root, slot: anchor.slot, stateRoot: anchor.stateRoot, registry: anchor.registry, tally: tally)
        blocks[anchor.root] = anchor
    }

    /// The votes the parent's branch carries must make `checkpoint` a supermajority at one of the
    /// epoch boundaries this block's slot processing crossed (weighed on the parent's registry:
    /// exact for the first boundary, the only one unless slots were skipped).
    private func requireVotes(
        for checkpoint: Checkpoint, kind: String, parent: LightVerifiedBlock, slot: Slot
    ) throws(LightVerificationError) {
        guard checkpoint.epoch.rawValue > Constants.genesisEpoch.rawValue else { return }
        let first = parent.slot.rawValue / preset.slotsPerEpoch
        let last = max(slot.rawValue / preset.slotsPerEpoch, first + 1)
        var support: CheckpointSupport?
        for epoch in (first..<last).suffix(Self.boundariesWeighedMax) {
            support = parent.tally.support(for: checkpoint, registry: parent.registry, epoch: Epoch(epoch))
            if support!.isSupermajority { return }
        }
        throw .unsupportedCheckpoint(kind: kind, checkpoint, support!)
    }

    /// The most epoch boundaries one block's votes are weighed at (a long run of empty slots).
    static let boundariesWeighedMax = 64

    /// The node's receipts for a block are the ones re-executing it on its witness's pre-state
    /// gives (receipts are not committed to by the block, but they follow from it and its
    /// pre-state, which the witness opens against a verified state root).
    private static func checkReceipts(
        _ served: [APIReceiptJSON], of block: SignedBlock, root: Root, on preState: ChainState
    ) throws(LightVerificationError) {
        let recomputed: [APIReceiptJSON]
        do {
            recomputed = try preState.transactionReceipts(of: block.message).map { APIReceiptJSON($0, blockRoot: root, slot: block.message.slot) }
        } catch {
            throw .missingData("receipts: the block does not re-execute on its witness: \(error)")
        }
        guard served.count == recomputed.count else { throw .receiptsMismatch(index: min(served.count, recomputed.count)) }
        if let index = served.indices.first(where: { served[$0] != recomputed[$0] }) { throw .receiptsMismatch(index: index) }
    }

    /// The proposer's signature, under the key the registry holds for the index the block names;
    /// within the parent's epoch the registry also says who the slot's proposer is.
    private func checkProposer(_ signed: SignedBlock, root: Root, parent: LightVerifiedBlock) throws(LightVerificationError) {
        let index = signed.message.proposerIndex
        let registry = parent.registry
        guard registry.isValidValidatorIndex(index) else { throw .unknownProposer(index) }
        if registry.computeEpochAtSlot(signed.message.slot) == registry.computeEpochAtSlot(parent.slot) {
            var atSlot = registry
            atSlot.slot = signed.message.slot
            if let expected = try? atSlot.getBeaconProposerIndex(), expected != index {
                throw .wrongProposer(expected: expected, got: index)
            }
        }
        let key = registry.validators[Int(index.rawValue)].publicKey
        // The block's root is already known: sign over it rather than hash the whole block again.
        let signingRoot = computeSigningRoot(root, domain: .blockProposal, genesisRoot: registry.genesisRoot)
        guard key.isValidSignature(signed.signature, for: signingRoot) else {
            throw .badProposerSignature
        }
    }

    private func countVotes(
        _ attestations: [Attestation], registry: ChainState, into tally: inout FinalityTally
    ) throws(LightVerificationError) {
        for (position, attestation) in attestations.enumerated() {
            let index = attestation.validatorIndex
            guard registry.isValidValidatorIndex(index) else { throw .unknownAttester(index: position, validator: index) }
            let set = registry.attestationSignatureSet(attestation, publicKey: registry.validators[Int(index.rawValue)].publicKey)
            guard set.publicKey.isValidSignature(set.signature, for: set.signingRoot) else {
                throw .badAttestationSignature(index: position, validator: index)
            }
            tally.record(index, target: attestation.data.target)
        }
    }
}
