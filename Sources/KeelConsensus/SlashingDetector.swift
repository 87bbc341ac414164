import KeelChain
import KeelCrypto

/// Watches every signed block header and attestation a node sees, from gossip or inside blocks,
/// and turns two conflicting messages from one validator into slashing evidence for a block.
///
/// - Proposer: two different headers signed by one proposer for one slot (phase0
///   `process_proposer_slashing`'s conditions).
/// - Attester: a double vote or a surround vote, exactly phase0 `is_slashable_attestation_data`;
///   the evidence names the surrounding attestation first, as `processAttesterSlashing`
///   requires.
///
/// A validator can be slashed only once, so each offender is reported at most once per kind:
/// further evidence against it adds nothing (the first is kept until a finalized state shows it
/// slashed). Identical re-broadcasts, and the same data signed twice, are not offences.
///
/// - Important: The detector takes only verified input (``ImportedBlock``,
///   ``VerifiedAttestation``, ``VerifiedProposerSlashing``, ``VerifiedAttesterSlashing``): a
///   forged message paired with a validator's real one would otherwise become evidence that
///   fails on chain, and every block carrying it would be rejected. Memory is bounded (STYLE item 13): history below the finalized epoch is
///   pruned, each validator keeps at most `historyEpochCountMax` attestations, and the number
///   of headers and of pending pieces of evidence is capped.
public struct SlashingDetector: Sendable {
    /// Per validator, the most attestations kept (one per target epoch); the lowest target
    /// epochs are dropped first.
    public let historyEpochCountMax: Int
    /// The most headers kept (one per proposer and slot); the lowest slots are dropped first.
    public let headerCountMax: Int
    /// The most pieces of evidence of each kind held pending.
    public let pendingCountMax: Int

    private struct ProposalKey: Hashable, Comparable {
        let slot: Slot
        let proposerIndex: ValidatorIndex
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.slot, lhs.proposerIndex) < (rhs.slot, rhs.proposerIndex) }
    }

    /// The first header seen per proposer and slot.
    private var headers: [ProposalKey: SignedBlockHeader] = [:]
    /// Per validator (by index: indices of verified votes are dense, within the registry), the
    /// first attestation seen per target epoch, sorted by target epoch.
    private var attestations: [[Attestation]] = []
    /// Offenders already reported, by kind.
    private var reportedProposers: Set<ValidatorIndex> = []
    private var reportedAttesters: Set<ValidatorIndex> = []
    /// Evidence in the order it was found.
    private var proposerSlashings: [ProposerSlashing] = []
    private var attesterSlashings: [AttesterSlashing] = []
    /// Nothing below this epoch is recorded.
    public private(set) var finalizedEpoch: Epoch = Constants.genesisEpoch
    /// The finalized epoch's start slot: no header below it is recorded.
    private var finalizedSlot: Slot = Constants.genesisSlot

    /// Creates an empty detector.
    ///
    /// - Parameters:
    ///   - historyEpochCountMax: Attestations kept per validator (256 by default: 32 devnet
    ///     epochs without finality would need only 32).
    ///   - headerCountMax: Headers kept (65,536 by default).
    ///   - pendingCountMax: Pending evidence of each kind (1,024 by default).
    public init(historyEpochCountMax: Int = 256, headerCountMax: Int = 65_536, pendingCountMax: Int = 1_024) {
        precondition(historyEpochCountMax >= 1 && headerCountMax >= 1 && pendingCountMax >= 1, "bounds are positive")
        self.historyEpochCountMax = historyEpochCountMax
        self.headerCountMax = headerCountMax
        self.pendingCountMax = pendingCountMax
    }

    /// Records a signed header (a gossiped block's, or one from a block's own proposer
    /// slashings) and reports a double proposal.
    ///
    /// - Returns: New evidence when this header conflicts with an earlier one from the same
    ///   proposer for the same slot and the proposer was not reported before; nil otherwise.
    mutating func observe(_ header: SignedBlockHeader) -> ProposerSlashing? {
        let message = header.message
        let key = ProposalKey(slot: message.slot, proposerIndex: message.proposerIndex)
        guard message.slot >= finalizedSlot else { return nil }
        guard let first = headers[key] else {
            if headers.count >= headerCountMax, let lowest = headers.keys.min() {
                // Full: drop the oldest proposal; a proposal older than all kept is not kept.
                guard lowest < key else { return nil }
                headers[lowest] = nil
            }
            headers[key] = header
            return nil
        }
        guard first.message != message, !reportedProposers.contains(message.proposerIndex) else { return nil }
        let slashing = ProposerSlashing(signedHeader1: first, signedHeader2: header)
        reportedProposers.insert(message.proposerIndex)
        if proposerSlashings.count < pendingCountMax { proposerSlashings.append(slashing) }
        precondition(slashing.signedHeader1.message.slot == slashing.signedHeader2.message.slot)
        return slashing
    }

    /// Records an attestation and reports a double or surround vote.
    ///
    /// - Returns: New evidence when this attestation and an earlier one from the same validator
    ///   are slashable together (in either order) and the validator was not reported before;
    ///   nil otherwise.
    mutating func observe(_ attestation: Attestation) -> AttesterSlashing? {
        let data = attestation.data
        let index = attestation.validatorIndex
        guard data.target.epoch >= finalizedEpoch else { return nil }
        let position = Int(index.rawValue)
        if position >= attestations.count {
            attestations.append(contentsOf: repeatElement([], count: position + 1 - attestations.count))
        }
        // A repeat (the block carrying a vote this node saw on gossip) pairs with nothing its
        // first copy was not already checked against.
        if attestations[position].contains(where: { $0.data == data }) { return nil }
        var history = attestations[position]
        attestations[position] = []  // `history` is now the buffer's only owner: no copy below.
        defer { attestations[position] = history }
        var evidence: AttesterSlashing? = nil
        if !reportedAttesters.contains(index) {
            for earlier in history {
                if isSlashableAttestationData(earlier.data, data) {
                    evidence = AttesterSlashing(attestation1: earlier, attestation2: attestation)
                } else if isSlashableAttestationData(data, earlier.data) {
                    evidence = AttesterSlashing(attestation1: attestation, attestation2: earlier)
                }
                if evidence != nil { break }
            }
        }
        // Keep the first attestation per target epoch: a later one for a recorded epoch is a
        // repeat or a double vote, and adds nothing to surround checks.
        if !history.contains(where: { $0.data.target.epoch == data.target.epoch }) {
            let insertion = history.firstIndex { $0.data.target.epoch > data.target.epoch } ?? history.count
            history.insert(attestation, at: insertion)
            if history.count > historyEpochCountMax { history.removeFirst(history.count - historyEpochCountMax) }
        }
        guard let evidence else { return nil }
        reportedAttesters.insert(index)
        if attesterSlashings.count < pendingCountMax { attesterSlashings.append(evidence) }
        precondition(isSlashableAttestationData(evidence.attestation1.data, evidence.attestation2.data))
        precondition(evidence.attestation1.validatorIndex == evidence.attestation2.validatorIndex)
        return evidence
    }

    /// Records everything a block shows: its header, the attestations it carries, and the
    /// messages inside the slashings it carries.
    ///
    /// - Returns: The new evidence this block revealed.
    mutating func observe(_ block: SignedBlock) -> (proposer: [ProposerSlashing], attester: [AttesterSlashing]) {
        var proposer: [ProposerSlashing] = []
        var attester: [AttesterSlashing] = []
        if let found = observe(block.signedHeader) { proposer.append(found) }
        let body = block.message.body
        for slashing in body.proposerSlashings {
            for header in [slashing.signedHeader1, slashing.signedHeader2] {
                if let found = observe(header) { proposer.append(found) }
            }
        }
        for slashing in body.attesterSlashings {
            for attestation in [slashing.attestation1, slashing.attestation2] {
                if let found = observe(attestation) { attester.append(found) }
            }
        }
        for attestation in body.attestations {
            if let found = observe(attestation) { attester.append(found) }
        }
        return (proposer, attester)
    }

    /// Records an imported block's header, the attestations it carries and the headers and
    /// attestations inside its slashings (all checked by its state transition).
    ///
    /// - Returns: The new evidence this block revealed.
    @discardableResult
    public mutating func observe(_ block: ImportedBlock) -> (proposer: [ProposerSlashing], attester: [AttesterSlashing]) {
        observe(block.block)
    }

    /// Records a verified attestation and reports a double or surround vote.
    @discardableResult
    public mutating func observe(_ attestation: VerifiedAttestation) -> AttesterSlashing? {
        observe(attestation.attestation)
    }

    /// Records gossiped evidence of a double proposal.
    ///
    /// - Returns: Whether it was new: its proposer had not been reported yet.
    @discardableResult
    public mutating func observe(_ slashing: VerifiedProposerSlashing) -> Bool {
        _ = observe(slashing.slashing.signedHeader1)
        return observe(slashing.slashing.signedHeader2) != nil
    }

    /// Records gossiped evidence of a double or surround vote.
    ///
    /// - Returns: Whether it was new: its validator had not been reported yet.
    @discardableResult
    public mutating func observe(_ slashing: VerifiedAttesterSlashing) -> Bool {
        _ = observe(slashing.slashing.attestation1)
        return observe(slashing.slashing.attestation2) != nil
    }

    /// The pending evidence that is still worth including in a block on top of `state`: against
    /// validators the state can still slash (`isSlashableValidator`: not slashed yet, and not
    /// withdrawable), in the order found, up to the per-block maximums.
    public func pendingSlashings(state: ChainState) -> (proposer: [ProposerSlashing], attester: [AttesterSlashing]) {
        let epoch = state.getCurrentEpoch()
        func slashable(_ index: ValidatorIndex) -> Bool {
            state.isValidValidatorIndex(index) && state.validators[Int(index.rawValue)].isSlashableValidator(epoch)
        }
        let proposer = proposerSlashings.filter { slashable($0.signedHeader1.message.proposerIndex) }
            .prefix(Int(state.preset.maxProposerSlashings))
        let attester = attesterSlashings.filter { slashable($0.attestation1.validatorIndex) }
            .prefix(Int(state.preset.maxAttesterSlashings))
        return (Array(proposer), Array(attester))
    }

    /// Forgets what finality makes irrelevant: headers of slots before `finalizedState`'s
    /// finalized epoch, attestations that target an earlier epoch, and evidence against validators
    /// the finalized state has already slashed.
    ///
    /// - Parameter finalizedState: The post-state of the finalized block.
    public mutating func prune(finalizedState: ChainState) {
        let epoch = finalizedState.finalizedCheckpoint.epoch
        guard epoch >= finalizedEpoch else { return }
        finalizedEpoch = epoch
        let startSlot = finalizedState.computeStartSlotAtEpoch(epoch)
        finalizedSlot = startSlot
        headers = headers.filter { key, _ in key.slot >= startSlot }
        for position in attestations.indices where attestations[position].first.map({ $0.data.target.epoch < epoch }) == true {
            attestations[position].removeAll { $0.data.target.epoch < epoch }
        }
        func slashed(_ index: ValidatorIndex) -> Bool {
            finalizedState.isValidValidatorIndex(index) && finalizedState.validators[Int(index.rawValue)].slashed
        }
        proposerSlashings.removeAll { slashed($0.signedHeader1.message.proposerIndex) }
        attesterSlashings.removeAll { slashed($0.attestation1.validatorIndex) }
        precondition(headers.keys.allSatisfy { $0.slot >= startSlot })
    }
}

extension SignedBlock {
    /// The block's signed header: the proposer's signature over the block is a signature over
    /// this header too, since a block's root is its header's root (`Block.hashTreeRoot`).
    public var signedHeader: SignedBlockHeader {
        let header = BlockHeader(
            slot: message.slot, proposerIndex: message.proposerIndex, parentRoot: message.parentRoot,
            stateRoot: message.stateRoot, bodyRoot: message.body.hashTreeRoot)
        return SignedBlockHeader(message: header, signature: signature)
    }
}
