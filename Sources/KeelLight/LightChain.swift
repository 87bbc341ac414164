import KeelChain
import KeelCrypto
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

    public func isVerified(_ root: Root) -> Bool { blocks[root] != nil }

    /// Verifies `data.block` on top of its verified parent and records it.
    public mutating func verify(_ data: LightBlockData, with verifier: StateRootVerifier) throws(LightVerificationError) -> LightBlockReport {
        let block = data.block.message
        let root = block.hashTreeRoot
        guard let parent = blocks[block.parentRoot] else { throw .unknownParent(block.parentRoot) }
        guard block.slot > parent.slot else { throw .slotNotAfterParent(slot: block.slot, parent: parent.slot) }
        try checkProposer(data.block, registry: parent.registry)
        var tally = parent.tally
        try countVotes(block.body.attestations, registry: parent.registry, into: &tally)

        let post: ChainState
        let vmSteps: UInt64
        switch verifier {
        case .reexec:
            guard let witness = data.witness else { throw .missingData("the block witness") }
            do {
                let outcome = try StatelessReexecution.verify(
                    data.block, preStateRoot: parent.stateRoot, witness: witness, preset: preset)
                post = outcome.postState
                vmSteps = outcome.claim.vmSteps
            } catch {
                throw .reexecution(error)
            }
        case .proof(let system):
            guard let (proof, claimedSteps) = data.proof else { throw .missingData("the proof") }
            guard let registry = data.registry else { throw .missingData("the registry proof") }
            let claim = TransitionClaim(
                preStateRoot: parent.stateRoot, blockRoot: root, postStateRoot: block.stateRoot, vmSteps: claimedSteps)
            do { try system.verify(proof, of: claim) } catch { throw .proof(error) }
            do { post = try registry.open(root: block.stateRoot, preset: preset) } catch { throw .registry(error) }
            vmSteps = claimedSteps
        }

        // Justification and finality move only in epoch processing, weighed on the parent's
        // registry with the votes included up to the parent.
        let processingEpoch = Epoch(max(block.slot.rawValue / preset.slotsPerEpoch, 1) - 1)
        let newlyJustified = post.currentJustifiedCheckpoint != parent.justified ? post.currentJustifiedCheckpoint : nil
        let newlyFinalized = post.finalizedCheckpoint != parent.finalized ? post.finalizedCheckpoint : nil
        for (kind, checkpoint) in [("justifies", newlyJustified), ("finalizes", newlyFinalized)] {
            guard let checkpoint, checkpoint.epoch.rawValue > Constants.genesisEpoch.rawValue else { continue }
            let support = parent.tally.support(for: checkpoint, registry: parent.registry, epoch: processingEpoch)
            guard support.isSupermajority else { throw .unsupportedCheckpoint(kind: kind, checkpoint, support) }
        }
        if let newlyFinalized {
            tally.prune(before: newlyFinalized.epoch)
            // Nothing before finality can be a parent again; the light node keeps only the rest.
            if let finalizedSlot = blocks[newlyFinalized.root]?.slot { blocks = blocks.filter { $0.value.slot >= finalizedSlot } }
        }
        blocks[root] = LightVerifiedBlock(root: root, slot: block.slot, stateRoot: block.stateRoot, registry: post, tally: tally)
        if block.slot > blocks[latest]!.slot { latest = root }
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

    private func checkProposer(_ signed: SignedBlock, registry: ChainState) throws(LightVerificationError) {
        let index = signed.message.proposerIndex
        guard registry.isValidValidatorIndex(index) else { throw .unknownProposer(index) }
        let key = registry.validators[Int(index.rawValue)].publicKey
        guard key.isValidSignature(signed.signature, for: registry.signingRoot(of: signed.message)) else {
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
