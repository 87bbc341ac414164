import KeelChain
import KeelCrypto
import KeelProof

/// The proof systems a prover node can prove blocks in.
public enum NodeProofSystem: String, Sendable, CaseIterable {
    /// ``StubSignedClaimProofSystem``: the prover's signature over each claim; proves nothing
    /// about execution.
    case stub
    /// ``StarkProofSystem``: the block's witness and a STARK of each VM call.
    case stark

    /// The system for a prover with `secretKey` on the chain `genesis` describes.
    func system(secretKey: SecretKey, genesis: GenesisFile) -> any ProofSystem {
        switch self {
        case .stub: StubSignedClaimProofSystem(proverSecretKey: secretKey, genesisRoot: genesis.genesisRoot)
        case .stark: StarkProofSystem(preset: genesis.config.preset)
        }
    }
}
