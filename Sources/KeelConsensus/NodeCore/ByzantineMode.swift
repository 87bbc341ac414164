import KeelChain

/// Which validators of a node core equivocate on purpose: they bypass slashing protection,
/// make a second block for each slot they propose and a second vote for each slot they attest.
/// `keel node --byzantine` is `.all`; `keel sim --equivocators N` gives each core its share.
public enum ByzantineMode: Hashable, Sendable {
    /// Honest: every signature passes slashing protection.
    case none
    /// Every validator the node runs equivocates.
    case all
    /// These validators equivocate.
    case validators(Set<ValidatorIndex>)

    /// Whether `validator` equivocates.
    public func equivocates(_ validator: ValidatorIndex) -> Bool {
        switch self {
        case .none: false
        case .all: true
        case let .validators(set): set.contains(validator)
        }
    }
}
