import KeelChain

/// Evidence of a double proposal that `processProposerSlashing` accepts on a state of the chain:
/// two different headers for one slot, both signed by a proposer that state can still slash.
///
/// Only ``verify(_:state:signatures:)`` and the slashing detector (from imported blocks' headers)
/// make one.
public struct VerifiedProposerSlashing: Hashable, Sendable {
    /// The checked evidence.
    public let slashing: ProposerSlashing

    init(checked slashing: ProposerSlashing) {
        self.slashing = slashing
    }

    /// Checks `slashing` as the state transition would include it on `state`.
    ///
    /// - Throws: The reason `processProposerSlashing` gives.
    public static func verify(
        _ slashing: ProposerSlashing, state: ChainState, signatures: SignatureMode = .verify
    ) throws(ProposerSlashingInvalid) -> VerifiedProposerSlashing {
        var scratch = state
        var verifier = SignatureVerifier(signatures.strategy)
        try scratch.processProposerSlashing(slashing, verifier: &verifier)
        return VerifiedProposerSlashing(checked: slashing)
    }
}
