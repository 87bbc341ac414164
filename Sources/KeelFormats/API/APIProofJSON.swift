import KeelChain
import KeelCrypto
import KeelProof

/// `GET /blocks/{id}/proof`: a prover node's proof of one block's transition.
///
/// `proof` is the proof system's bytes (``TransitionProof/bytes``); with `system` they make the
/// ``TransitionProof``. `claim_encoded` is ``TransitionClaim``'s canonical encoding, the same
/// fields as `claim`. `guarantee` says what a valid proof establishes: for the STUB system,
/// nothing about execution.
public struct APIProofJSON: Codable, Sendable {
    public var blockRoot: String
    public var system: String
    public var guarantee: String
    public var claim: APIClaimJSON
    public var claimEncoded: String
    public var proof: String
    public var proofBytes: Int

    public init(
        blockRoot: String, system: String, guarantee: String, claim: APIClaimJSON, claimEncoded: String, proof: String,
        proofBytes: Int
    ) {
        self.blockRoot = blockRoot
        self.system = system
        self.guarantee = guarantee
        self.claim = claim
        self.claimEncoded = claimEncoded
        self.proof = proof
        self.proofBytes = proofBytes
    }
}

/// A ``TransitionClaim``'s fields.
public struct APIClaimJSON: Codable, Sendable {
    public var preStateRoot: String
    public var blockRoot: String
    public var postStateRoot: String
    public var vmSteps: UInt64

    public init(_ claim: TransitionClaim) {
        preStateRoot = claim.preStateRoot.hex
        blockRoot = claim.blockRoot.hex
        postStateRoot = claim.postStateRoot.hex
        vmSteps = claim.vmSteps
    }
}

/// `GET /blocks/{id}/witness`: the block witness, for stateless re-execution from the parent's
/// state root (`pre_state_root`).
public struct APIWitnessJSON: Codable, Sendable {
    public var blockRoot: String
    public var preStateRoot: String
    /// Hex of `StateWitness.encoded`.
    public var witness: String
    public var witnessBytes: Int

    public init(blockRoot: String, preStateRoot: String, witness: String, witnessBytes: Int) {
        self.blockRoot = blockRoot
        self.preStateRoot = preStateRoot
        self.witness = witness
        self.witnessBytes = witnessBytes
    }
}

/// `GET /blocks/{id}/registry`: the registry proof of the block's post-state (every field and
/// validator), which opens against `state_root`, the block's state root.
public struct APIRegistryJSON: Codable, Sendable {
    public var blockRoot: String
    public var stateRoot: String
    /// Hex of `StateWitness.encoded`.
    public var registry: String
    public var registryBytes: Int

    public init(blockRoot: String, stateRoot: String, registry: String, registryBytes: Int) {
        self.blockRoot = blockRoot
        self.stateRoot = stateRoot
        self.registry = registry
        self.registryBytes = registryBytes
    }
}
