/// Why a STARK proof was not accepted (spec/STARK.md §8: malformed versus invalid).
public enum StarkError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The bytes are not a proof of this statement's shape: truncated, extended, a
    /// non-canonical field element, a count that does not match.
    case malformed(String)
    /// A well-formed proof that fails a check.
    case invalid(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed proof: \(reason)"
        case .invalid(let reason): "invalid proof: \(reason)"
        }
    }
}

/// Why the prover refused to prove.
public enum StarkProvingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The trace breaks a constraint, found by the debug checker before any commitment.
    case constraintFailed(constraint: Int, row: Int)
    /// The trace's shape does not fit the AIR or the parameters.
    case badTrace(String)

    public var description: String {
        switch self {
        case .constraintFailed(let constraint, let row): "the trace breaks constraint \(constraint) at row \(row)"
        case .badTrace(let reason): "unusable trace: \(reason)"
        }
    }
}
