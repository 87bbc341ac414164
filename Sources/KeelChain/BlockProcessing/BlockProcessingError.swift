import KeelCrypto

/// Why a block is invalid: the operation, its index in the block, and a reason (STYLE item 8).
public enum BlockProcessingError: Error, Hashable, Sendable {
    case slots(SlotProcessingError)
    case header(HeaderInvalid)
    case randao(RandaoInvalid)
    case tooManyOperations(field: String, count: Int, limit: UInt64)
    case proposerSlashing(index: Int, reason: ProposerSlashingInvalid)
    case attesterSlashing(index: Int, reason: AttesterSlashingInvalid)
    case attestation(index: Int, reason: AttestationInvalid)
    case transaction(index: Int, reason: TransactionInvalid)
    case blockStepLimitExceeded(steps: UInt64, limit: UInt64)
    case blockSignatureInvalid
    case signatureBatchInvalid
    case stateRootMismatch(block: Root, computed: Root)
    case state(StateAccessError)
}

public enum SlotProcessingError: Error, Hashable, Sendable {
    /// phase0 `process_slots` asserts `state.slot < slot`.
    case slotNotAfterState(target: Slot, state: Slot)
    case epochProcessing(EpochProcessingError)
}

public enum HeaderInvalid: Error, Hashable, Sendable {
    case slotMismatch(block: Slot, state: Slot)
    case notNewerThanLatestHeader(block: Slot, latest: Slot)
    case wrongProposer(block: ValidatorIndex, expected: ValidatorIndex)
    case parentRootMismatch(block: Root, expected: Root)
    case proposerSlashed(ValidatorIndex)
}

public enum RandaoInvalid: Error, Hashable, Sendable {
    /// The reveal does not hash to the proposer's last commitment.
    case revealDoesNotMatchCommitment(ValidatorIndex)
}

public enum ProposerSlashingInvalid: Error, Hashable, Sendable {
    case slotsDiffer
    case proposersDiffer
    case headersEqual
    case unknownValidator(ValidatorIndex)
    case notSlashable(ValidatorIndex)
    case badSignature(header: Int)
}

public enum AttesterSlashingInvalid: Error, Hashable, Sendable {
    case validatorsDiffer
    case notSlashableData
    case unknownValidator(ValidatorIndex)
    case notSlashable(ValidatorIndex)
    case badSignature(attestation: Int)
}

public enum AttestationInvalid: Error, Hashable, Sendable {
    case targetEpochNotPreviousOrCurrent(target: Epoch, current: Epoch)
    case targetEpochDoesNotMatchSlot(target: Epoch, slot: Slot)
    case inclusionTooEarly(attestationSlot: Slot, stateSlot: Slot)
    case inclusionTooLate(attestationSlot: Slot, stateSlot: Slot)
    case unknownValidator(ValidatorIndex)
    case notInCommittee(ValidatorIndex, slot: Slot)
    case wrongSource(got: Checkpoint, expected: Checkpoint)
    case badSignature
}

public enum TransactionInvalid: Error, Hashable, Sendable {
    case unknownSender(Address)
    case badSignature
    case wrongNonce(got: UInt64, expected: UInt64)
    case insufficientBalance(needed: Stake, available: Stake)
    case feeBelowStepCost(fee: Stake, stepCost: Stake)
    case stepLimitTooHigh(requested: UInt64, limit: UInt64)
    case invalidProgram(String)
    /// Deployed code longer than `Preset.maxProgramBytes`.
    case programTooLarge(bytes: Int, limit: UInt64)
    case programStorageTooLarge(cells: UInt32, limit: UInt64)
    case programAlreadyExists(Address)
    case unknownProgram(Address)
    case inputCountMismatch(expected: UInt32, got: Int)
    /// A call input cell is not a field element (`>= KoalaBear.p`).
    case inputNotInField(value: UInt32)
    /// Call input longer than `Preset.maxCallInputCells`.
    case tooManyInputCells(count: Int, limit: UInt64)
    case depositBelowMinimum(amount: Stake, minimum: Stake)
    case badProofOfPossession
    case unknownValidator(ValidatorIndex)
    case notWithdrawalAddress(ValidatorIndex)
    case validatorNotActive(ValidatorIndex)
    case validatorAlreadyExiting(ValidatorIndex)
    case arithmetic(ArithmeticError)
}

public enum EpochProcessingError: Error, Hashable, Sendable {
    case state(StateAccessError)
    case arithmetic(ArithmeticError)
}
