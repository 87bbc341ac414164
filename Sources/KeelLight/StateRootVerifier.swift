import KeelChain
import KeelFormats
import KeelProof

/// How a light node checks a block's post-state root without holding state.
public enum StateRootVerifier: Sendable {
    /// Check a proof of the block's transition claim in this proof system.
    case proof(any ProofSystem)
    /// Re-execute the block from its pre-state witness (``StatelessReexecution``).
    case reexec

    /// The name printed per block: `proof` or `reexec`.
    public var name: String {
        switch self {
        case .proof: "proof"
        case .reexec: "reexec"
        }
    }
}

/// What a light node fetches for one block: the block, and what its verifier needs.
public struct LightBlockData: Sendable {
    public var block: SignedBlock
    /// For ``StateRootVerifier/proof(_:)``: the proof, and the VM steps its claim states.
    public var proof: (proof: TransitionProof, vmSteps: UInt64)?
    /// For ``StateRootVerifier/reexec``: the block witness.
    public var witness: StateWitness?
    /// For ``StateRootVerifier/reexec``, when asked for: the receipts the node serves for the
    /// block, checked against the ones re-execution recomputes (nil: not checked).
    public var receipts: [APIReceiptJSON]?
    /// For ``StateRootVerifier/proof(_:)``: the post-state's registry proof.
    public var registry: StateWitness?

    public init(
        block: SignedBlock, proof: (proof: TransitionProof, vmSteps: UInt64)? = nil, witness: StateWitness? = nil,
        registry: StateWitness? = nil
    ) {
        self.block = block
        self.proof = proof
        self.witness = witness
        self.registry = registry
    }
}
