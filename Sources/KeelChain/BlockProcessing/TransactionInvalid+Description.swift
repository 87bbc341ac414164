extension TransactionInvalid: CustomStringConvertible {
    /// One line a user can act on (`keel tx` prints it when a node refuses a transaction).
    public var description: String {
        switch self {
        case let .unknownSender(address): "the sender \(address.hash.hex) has no account"
        case .badSignature: "the signature is not the sender's"
        case let .wrongNonce(got, expected): "nonce \(got), the account's next is \(expected)"
        case let .insufficientBalance(needed, available): "the balance \(available.rawValue) does not cover \(needed.rawValue)"
        case let .feeBelowStepCost(fee, stepCost): "the fee \(fee.rawValue) is below the step limit's cost \(stepCost.rawValue)"
        case let .stepLimitTooHigh(requested, limit): "the step limit \(requested) is above the chain's \(limit)"
        case let .invalidProgram(reason): "the program is invalid: \(reason)"
        case let .programTooLarge(bytes, limit): "the program is \(bytes) bytes, above the chain's \(limit)"
        case let .programStorageTooLarge(cells, limit): "the program has \(cells) storage cells, above the chain's \(limit)"
        case let .programAlreadyExists(address): "a program already exists at \(address.hash.hex)"
        case let .unknownProgram(address): "no program at \(address.hash.hex)"
        case let .inputCountMismatch(expected, got): "the program takes \(expected) input cells, \(got) were given"
        case let .inputNotInField(value): "input \(value) is not a field element"
        case let .tooManyInputCells(count, limit): "\(count) input cells, above the chain's \(limit)"
        case let .depositBelowMinimum(amount, minimum): "the deposit \(amount.rawValue) is below the minimum \(minimum.rawValue)"
        case .badProofOfPossession: "the proof of possession is not the validator key's signature"
        case let .unknownValidator(index): "no validator \(index)"
        case let .notWithdrawalAddress(index): "the sender is not validator \(index)'s withdrawal account"
        case let .validatorNotActive(index): "validator \(index) is not active"
        case let .validatorAlreadyExiting(index): "validator \(index) is already exiting"
        case let .arithmetic(error): "arithmetic: \(error)"
        }
    }
}
