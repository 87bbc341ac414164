/// Applies a `SignatureStrategy` as block processing meets signatures.
public struct SignatureVerifier: Sendable {
    public let strategy: SignatureStrategy
    public private(set) var collector = SignatureCollector()

    public init(_ strategy: SignatureStrategy) { self.strategy = strategy }

    /// Whether processing may go on: under `.verifyIndividually` the signature must be valid;
    /// under `.collect` it is kept for the bulk check; under `.skip` nothing is checked.
    public mutating func check(_ set: SignatureSet) -> Bool {
        switch strategy {
        case .verifyIndividually: return set.isValid
        case .collect:
            collector.append(set)
            return true
        case .skip: return true
        }
    }
}
