import KeelChain

/// Evidence of a double or surround vote that `processAttesterSlashing` accepts on a state of the
/// chain: both attestations signed by one validator that state can still slash.
///
/// Only ``verify(_:state:signatures:)`` and the slashing detector (from verified attestations)
/// make one.
public struct VerifiedAttesterSlashing: Hashable, Sendable {
    /// The checked evidence.
    public let slashing: AttesterSlashing

    init(checked slashing: AttesterSlashing) {
        self.slashing = slashing
    }

    /// Checks `slashing` as the state transition would include it on `state`.
    ///
    /// - Throws: The reason `processAttesterSlashing` gives.
    public static func verify(
        _ slashing: AttesterSlashing, state: ChainState, signatures: SignatureMode = .verify
    ) throws(AttesterSlashingInvalid) -> VerifiedAttesterSlashing {
        var scratch = state
        var verifier = SignatureVerifier(signatures.strategy)
        try scratch.processAttesterSlashing(slashing, verifier: &verifier)
        return VerifiedAttesterSlashing(checked: slashing)
    }
}
