import KeelChain
import KeelCrypto

/// A block a validator signed, as slashing protection remembers it (EIP-3076 `signed_blocks`).
public struct SignedBlockRecord: Hashable, Sendable {
    /// The block's slot.
    public var slot: Slot
    /// The signing root; nil when imported from an interchange file that omitted it (then no
    /// re-sign at that slot is recognised as harmless).
    public var signingRoot: Root?

    /// A record of a block signed at `slot`.
    public init(slot: Slot, signingRoot: Root?) {
        self.slot = slot
        self.signingRoot = signingRoot
    }
}

/// An attestation a validator signed (EIP-3076 `signed_attestations`).
public struct SignedAttestationRecord: Hashable, Sendable {
    /// The FFG source epoch voted for.
    public var sourceEpoch: Epoch
    /// The FFG target epoch voted for.
    public var targetEpoch: Epoch
    /// The signing root; nil when imported without one.
    public var signingRoot: Root?

    /// A record of an attestation signed from `sourceEpoch` to `targetEpoch`.
    public init(sourceEpoch: Epoch, targetEpoch: Epoch, signingRoot: Root?) {
        self.sourceEpoch = sourceEpoch
        self.targetEpoch = targetEpoch
        self.signingRoot = signingRoot
    }
}

/// Whether a validator may sign a message, given what it signed before.
public enum SlashingProtectionDecision: Hashable, Sendable {
    /// New and safe: sign it, after recording it durably.
    case allowed
    /// Exactly this message (same signing root) was signed before: signing it again is harmless
    /// and there is nothing new to record.
    case alreadySigned
    /// Signing it could get the validator slashed, or EIP-3076 forbids it.
    case refused(SlashingProtectionRefusal)

    /// Whether the validator may sign.
    public var maySign: Bool {
        switch self {
        case .allowed, .alreadySigned: return true
        case .refused: return false
        }
    }
}

/// Why slashing protection refused to sign.
public enum SlashingProtectionRefusal: Hashable, Sendable {
    /// A different block was signed for this slot (a double proposal).
    case doubleBlockProposal(slot: Slot)
    /// The slot is not after the latest slot signed (EIP-3076's low watermark, tightened to the
    /// latest slot as Keel's validator client signs blocks in slot order).
    case blockSlotNotAfterLatest(slot: Slot, latest: Slot)
    /// An attestation's source is after its target: never valid.
    case sourceAfterTarget(source: Epoch, target: Epoch)
    /// A different attestation was signed for this target epoch (a double vote).
    case doubleVote(previous: SignedAttestationRecord)
    /// The new attestation would surround one signed before.
    case surroundsPrevious(SignedAttestationRecord)
    /// The new attestation would be surrounded by one signed before.
    case surroundedByPrevious(SignedAttestationRecord)
    /// EIP-3076: the source epoch is below the lowest source signed (or pruned).
    case sourceBelowMinimum(source: Epoch, minimum: Epoch)
    /// EIP-3076: the target epoch is not above the lowest target signed (or pruned).
    case targetNotAboveMinimum(target: Epoch, minimum: Epoch)
}

/// One validator's signing history and the EIP-3076 rules that decide what it may sign next,
/// as Lighthouse's slashing protection applies them. Pure: the node persists the history (in
/// SQLite) and must record a message durably *before* signing it.
///
/// Rules, in the order they are checked:
/// - Blocks: a block for a slot already signed is allowed only with the identical signing root
///   (`alreadySigned`), otherwise it is a double proposal; any other block must be for a slot
///   after the latest slot signed.
/// - Attestations: the source may not be after the target; one for a target epoch already
///   signed is allowed only with the identical signing root, otherwise it is a double vote; it
///   may neither surround nor be surrounded by one signed before; and (EIP-3076 low watermarks)
///   its source may not be below the lowest source signed, nor its target at or below the lowest
///   target signed.
///
/// - Important: Bounded (STYLE item 13): at most `recordCountMax` records of each kind. Older
///   records are folded into watermarks that refuse everything the dropped records would have
///   made unsafe: a target at or below the highest dropped target, a source below the highest
///   dropped source, a slot at or below the highest dropped slot.
public struct SlashingProtectionHistory: Hashable, Sendable {
    /// Signed blocks, by ascending slot, one per slot.
    public private(set) var blocks: [SignedBlockRecord]
    /// Signed attestations, by ascending target epoch, one per target epoch.
    public private(set) var attestations: [SignedAttestationRecord]
    /// The highest slot among dropped block records.
    public private(set) var prunedSlotMax: Slot?
    /// The highest source epoch among dropped attestation records.
    public private(set) var prunedSourceEpochMax: Epoch?
    /// The highest target epoch among dropped attestation records.
    public private(set) var prunedTargetEpochMax: Epoch?
    /// The most records of each kind kept.
    public let recordCountMax: Int

    /// A history, empty or imported (EIP-3076 interchange).
    ///
    /// - Parameters:
    ///   - blocks: Signed blocks in any order; for duplicate slots the first is kept.
    ///   - attestations: Signed attestations in any order; for duplicate targets the first is
    ///     kept.
    ///   - recordCountMax: The bound on records of each kind.
    public init(blocks: [SignedBlockRecord] = [], attestations: [SignedAttestationRecord] = [], recordCountMax: Int = 4_096) {
        precondition(recordCountMax >= 1, "at least one record of each kind is kept")
        self.recordCountMax = recordCountMax
        var slots = Set<Slot>()
        let bySlot = blocks.filter { slots.insert($0.slot).inserted }
        var targets = Set<Epoch>()
        let byTarget = attestations.filter { targets.insert($0.targetEpoch).inserted }
        self.blocks = bySlot.sorted { $0.slot < $1.slot }
        self.attestations = byTarget.sorted { $0.targetEpoch < $1.targetEpoch }
        prune()
    }

    // MARK: Blocks

    /// Whether the validator may sign a block at `slot` with `signingRoot`.
    public func checkBlock(slot: Slot, signingRoot: Root) -> SlashingProtectionDecision {
        if let previous = blocks.first(where: { $0.slot == slot }) {
            return previous.signingRoot == signingRoot ? .alreadySigned : .refused(.doubleBlockProposal(slot: slot))
        }
        let latest = [blocks.last?.slot, prunedSlotMax].compactMap { $0 }.max()
        if let latest, slot <= latest { return .refused(.blockSlotNotAfterLatest(slot: slot, latest: latest)) }
        return .allowed
    }

    /// Checks a block and, if it is new and allowed, records it.
    ///
    /// - Returns: The decision; the history changes only when it is `allowed`.
    @discardableResult
    public mutating func recordBlock(slot: Slot, signingRoot: Root) -> SlashingProtectionDecision {
        let decision = checkBlock(slot: slot, signingRoot: signingRoot)
        guard decision == .allowed else { return decision }
        precondition(blocks.last.map { $0.slot < slot } ?? true, "an allowed block is the latest")
        blocks.append(SignedBlockRecord(slot: slot, signingRoot: signingRoot))
        prune()
        precondition(checkBlock(slot: slot, signingRoot: signingRoot) != .allowed, "a recorded block is never new again")
        return decision
    }

    // MARK: Attestations

    /// Whether the validator may sign an attestation with these source and target epochs and
    /// this signing root.
    public func checkAttestation(source: Epoch, target: Epoch, signingRoot: Root) -> SlashingProtectionDecision {
        guard source <= target else { return .refused(.sourceAfterTarget(source: source, target: target)) }
        if let previous = attestations.first(where: { $0.targetEpoch == target }) {
            return previous.signingRoot == signingRoot ? .alreadySigned : .refused(.doubleVote(previous: previous))
        }
        for previous in attestations {
            if source < previous.sourceEpoch && previous.targetEpoch < target { return .refused(.surroundsPrevious(previous)) }
            if previous.sourceEpoch < source && target < previous.targetEpoch { return .refused(.surroundedByPrevious(previous)) }
        }
        let sourceMinimum = [attestations.map(\.sourceEpoch).min(), prunedSourceEpochMax].compactMap { $0 }.max()
        if let sourceMinimum, source < sourceMinimum {
            return .refused(.sourceBelowMinimum(source: source, minimum: sourceMinimum))
        }
        let targetMinimum = [attestations.first?.targetEpoch, prunedTargetEpochMax].compactMap { $0 }.max()
        if let targetMinimum, target <= targetMinimum {
            return .refused(.targetNotAboveMinimum(target: target, minimum: targetMinimum))
        }
        return .allowed
    }

    /// Checks an attestation and, if it is new and allowed, records it.
    ///
    /// - Returns: The decision; the history changes only when it is `allowed`.
    @discardableResult
    public mutating func recordAttestation(source: Epoch, target: Epoch, signingRoot: Root) -> SlashingProtectionDecision {
        let decision = checkAttestation(source: source, target: target, signingRoot: signingRoot)
        guard decision == .allowed else { return decision }
        let record = SignedAttestationRecord(sourceEpoch: source, targetEpoch: target, signingRoot: signingRoot)
        let position = attestations.firstIndex { $0.targetEpoch > target } ?? attestations.count
        attestations.insert(record, at: position)
        prune()
        precondition(checkAttestation(source: source, target: target, signingRoot: signingRoot) == .alreadySigned)
        return decision
    }

    /// Drops the oldest records beyond `recordCountMax` into the watermarks.
    private mutating func prune() {
        if blocks.count > recordCountMax {
            let dropped = blocks.prefix(blocks.count - recordCountMax)
            prunedSlotMax = ([prunedSlotMax].compactMap { $0 } + dropped.map(\.slot)).max()
            blocks.removeFirst(dropped.count)
        }
        if attestations.count > recordCountMax {
            let dropped = attestations.prefix(attestations.count - recordCountMax)
            prunedSourceEpochMax = ([prunedSourceEpochMax].compactMap { $0 } + dropped.map(\.sourceEpoch)).max()
            prunedTargetEpochMax = ([prunedTargetEpochMax].compactMap { $0 } + dropped.map(\.targetEpoch)).max()
            attestations.removeFirst(dropped.count)
        }
        precondition(blocks.count <= recordCountMax && attestations.count <= recordCountMax)
    }
}
