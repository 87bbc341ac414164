import KeelChain

/// A proof system for block execution: makes and checks proofs of ``TransitionClaim``s.
///
/// Callers (the prover node, the light node, the benchmark) hold an `any ProofSystem` and never
/// look inside a proof, so a zk backend can replace the stub without touching them. `prove` gets
/// what a real prover needs to build an execution trace: the block and the witness of every
/// piece of pre-state it touches. A system that does not need them may ignore them.
public protocol ProofSystem: Sendable {
    /// The name carried in every ``TransitionProof`` this system makes.
    var systemID: String { get }
    /// One line for users: what a valid proof of this system establishes.
    var guarantee: String { get }
    /// Proves `claim` about `block`, whose pre-state `witness` opens.
    func prove(_ claim: TransitionClaim, block: SignedBlock, witness: StateWitness) throws(ProofError) -> TransitionProof
    /// Checks that `proof` proves `claim`; returns normally only if it does.
    func verify(_ proof: TransitionProof, of claim: TransitionClaim) throws(ProofError)
    /// Checks that `proof` proves `claim` about `block` (the claim names the block's root). A
    /// system that needs the block's body (`keel-stark-v1` runs its transition) implements
    /// this; the others check the claim alone.
    func verify(_ proof: TransitionProof, of claim: TransitionClaim, block: SignedBlock) throws(ProofError)
}

extension ProofSystem {
    public func verify(_ proof: TransitionProof, of claim: TransitionClaim, block: SignedBlock) throws(ProofError) {
        guard block.message.hashTreeRoot == claim.blockRoot else { throw .invalid("the claim is about another block") }
        try verify(proof, of: claim)
    }
}

/// Why a proof was not made or not accepted.
public enum ProofError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The proof was made by another system.
    case wrongSystem(expected: String, got: String)
    /// The proof's bytes are not a proof of this system at all.
    case malformed(String)
    /// A well-formed proof that does not prove this claim (forged, or made for another claim).
    case invalid(String)
    /// This system cannot prove: e.g. a verify-only stub without the prover's secret key.
    case cannotProve(String)

    public var description: String {
        switch self {
        case .wrongSystem(let expected, let got): "proof from system '\(got)', expected '\(expected)'"
        case .malformed(let reason): "malformed proof: \(reason)"
        case .invalid(let reason): "invalid proof: \(reason)"
        case .cannotProve(let reason): "cannot prove: \(reason)"
        }
    }
}
