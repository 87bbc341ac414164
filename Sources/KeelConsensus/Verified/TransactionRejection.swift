import KeelChain

/// Why a transaction is refused at the door (the API's `422`, or a peer's gossip dropped).
public enum TransactionRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// No account holds this address, or it is not a valid key.
    case unknownSender(Address)
    /// The signature is not the sender's over this transaction on this chain.
    case badSignature
    /// A deposit's proof of possession is not the new key's signature.
    case badProofOfPossession
    /// The nonce is one the account has already used.
    case staleNonce(got: UInt64, expected: UInt64)
    /// The nonce is too far ahead of the account's to be kept waiting.
    case nonceTooFarAhead(got: UInt64, expected: UInt64, windowMax: UInt64)
    /// The sender cannot pay the fee (and, for a transfer or deposit, the amount).
    case insufficientBalance(needed: Stake, available: Stake)
    /// The transaction could never be included (its kind's own rules, checked statically).
    case invalid(TransactionInvalid)
    /// Tried on the head state, the transaction fails: no block could include it now. Not a
    /// peer's fault when gossiped (its state may differ), so it costs the peer nothing.
    case wouldFail(TransactionInvalid)

    public var description: String {
        switch self {
        case let .unknownSender(address): "unknown sender \(address.hash.hex)"
        case .badSignature: "bad signature: not the sender's signature over this transaction on this chain"
        case .badProofOfPossession: "bad proof of possession for the deposited key"
        case let .staleNonce(got, expected): "stale nonce \(got): the account's next nonce is \(expected)"
        case let .nonceTooFarAhead(got, expected, windowMax):
            "nonce \(got) too far ahead: the account's next nonce is \(expected) (at most \(windowMax) ahead are pooled)"
        case let .insufficientBalance(needed, available): "fee above balance: needs \(needed), has \(available)"
        case let .invalid(reason): "invalid: \(reason)"
        case let .wouldFail(reason): "it would fail on the head state: \(reason)"
        }
    }

    /// A short machine-readable code for API answers.
    public var code: String {
        switch self {
        case .unknownSender: "unknown_sender"
        case .badSignature: "bad_signature"
        case .badProofOfPossession: "bad_proof_of_possession"
        case .staleNonce: "stale_nonce"
        case .nonceTooFarAhead: "nonce_too_far_ahead"
        case .insufficientBalance: "insufficient_balance"
        case .invalid: "invalid"
        case .wouldFail: "would_fail"
        }
    }
}
