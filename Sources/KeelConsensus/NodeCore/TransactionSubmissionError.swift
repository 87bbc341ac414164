/// Why a transaction submitted through the API was not accepted (the API's `422`).
public enum TransactionSubmissionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// It failed a check: bad signature, stale nonce, fee above balance, unknown sender, ...
    case rejected(TransactionRejection)
    /// The pool holds as many transactions as it may.
    case poolFull
    /// The node is syncing: its head state is not the chain's, so nothing is checked against it.
    case syncing

    public var description: String {
        switch self {
        case let .rejected(reason): "transaction refused: \(reason)"
        case .poolFull: "the transaction pool is full"
        case .syncing: "the node is syncing"
        }
    }

    /// A short machine-readable code for API answers.
    public var code: String {
        switch self {
        case let .rejected(reason): reason.code
        case .poolFull: "pool_full"
        case .syncing: "syncing"
        }
    }
}
