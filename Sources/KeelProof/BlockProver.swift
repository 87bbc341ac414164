import KeelChain
import KeelCrypto

/// What a prover node keeps and serves for each block it imports.
public struct ProvenBlock: Sendable {
    public let claim: TransitionClaim
    public let proof: TransitionProof
    /// The block witness (pre-state), for light nodes that re-execute.
    public let witness: StateWitness
    /// The post-state's registry proof, for light nodes to learn validators and finality.
    public let registry: StateWitness
}

/// Traces a block, cuts its witness and proves its claim with a ``ProofSystem``.
public struct BlockProver: Sendable {
    public let system: any ProofSystem

    public init(system: any ProofSystem) {
        self.system = system
    }

    /// Proves `block` applied to `preState` (its parent's full post-state).
    ///
    /// - Parameter strategy: `.skip` for a block whose signatures the caller already checked.
    public func prove(
        _ block: SignedBlock, preState: ChainState, strategy: SignatureStrategy = .verifyIndividually
    ) throws(BlockProverError) -> ProvenBlock {
        let traced: TracedTransition
        do { traced = try BlockWitnessBuilder.trace(block, preState: preState, strategy: strategy) } catch {
            throw .transition(error)
        }
        let proof: TransitionProof
        do { proof = try system.prove(traced.claim, block: block, witness: traced.witness) } catch { throw .proof(error) }
        return ProvenBlock(
            claim: traced.claim, proof: proof, witness: traced.witness, registry: StateWitness.registry(of: traced.postState))
    }
}

/// Why a block was not proven.
public enum BlockProverError: Error, Sendable, CustomStringConvertible {
    case transition(BlockProcessingError)
    case proof(ProofError)

    public var description: String {
        switch self {
        case .transition(let error): "the block does not apply: \(error)"
        case .proof(let error): "\(error)"
        }
    }
}
