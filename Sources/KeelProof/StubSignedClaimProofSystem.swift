import KeelChain
import KeelCrypto

/// **STUB** proof system: a "proof" is the prover's BIP-340 signature over the claim, by the
/// prover key that genesis names.
///
/// - Important: Verifying a stub proof proves **nothing** about execution. It only shows that
///   the holder of the prover key vouches for the claim; a dishonest prover can sign any claim.
///   It exists so that the interface, the plumbing and the light node are real before a zk
///   backend is. Everything that uses it says so in its output.
///
/// The signature covers `computeSigningRoot(claim.hashTreeRoot, domain: .proverClaim,
/// genesisRoot:)`, so a proof made for one claim (another block, other roots, other steps) or
/// for another chain does not verify.
public struct StubSignedClaimProofSystem: ProofSystem {
    public static let systemID = "stub-signed-claim"

    public var systemID: String { Self.systemID }
    public var guarantee: String {
        "STUB: a Schnorr signature by prover key \(proverKey.hex.prefix(16))…; proves nothing about execution, only who vouches for it"
    }

    /// The key genesis names; proofs verify only under it.
    public let proverKey: PublicKey
    /// Binds proofs to one chain.
    public let genesisRoot: Root
    /// Present only in a prover; a verifier has none.
    private let secretKey: SecretKey?

    /// A verifier of stub proofs made by `proverKey` on the chain `genesisRoot`.
    public init(proverKey: PublicKey, genesisRoot: Root) {
        self.proverKey = proverKey
        self.genesisRoot = genesisRoot
        self.secretKey = nil
    }

    /// A prover that signs with `secretKey` (and verifies under its public key).
    public init(proverSecretKey secretKey: SecretKey, genesisRoot: Root) {
        self.proverKey = secretKey.publicKey
        self.genesisRoot = genesisRoot
        self.secretKey = secretKey
    }

    public func prove(_ claim: TransitionClaim, block: SignedBlock, witness: StateWitness) throws(ProofError) -> TransitionProof {
        guard let secretKey else { throw .cannotProve("this stub holds no prover secret key") }
        precondition(block.message.hashTreeRoot == claim.blockRoot, "the claim is about this block")
        return TransitionProof(system: Self.systemID, bytes: secretKey.sign(signingRoot(claim)).bytes)
    }

    public func verify(_ proof: TransitionProof, of claim: TransitionClaim) throws(ProofError) {
        guard proof.system == Self.systemID else { throw .wrongSystem(expected: Self.systemID, got: proof.system) }
        guard let signature = Signature(bytes: proof.bytes) else {
            throw .malformed("a stub proof is a 64-byte signature, got \(proof.bytes.count) bytes")
        }
        guard proverKey.isValidSignature(signature, for: signingRoot(claim)) else {
            throw .invalid("the signature is not the prover's over this claim")
        }
    }

    private func signingRoot(_ claim: TransitionClaim) -> Root {
        computeSigningRoot(claim.hashTreeRoot, domain: .proverClaim, genesisRoot: genesisRoot)
    }
}
