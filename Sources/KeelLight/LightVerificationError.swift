import KeelChain
import KeelCrypto
import KeelProof

/// Why a light node refused a block.
public enum LightVerificationError: Error, Sendable, CustomStringConvertible {
    case unknownParent(Root)
    case slotNotAfterParent(slot: Slot, parent: Slot)
    case unknownProposer(ValidatorIndex)
    case wrongProposer(expected: ValidatorIndex, got: ValidatorIndex)
    case badProposerSignature
    case unknownAttester(index: Int, validator: ValidatorIndex)
    case badAttestationSignature(index: Int, validator: ValidatorIndex)
    case missingData(String)
    case proofClaimMismatch
    case proof(ProofError)
    case reexecution(StatelessVerificationError)
    case registry(StateWitnessError)
    /// The node's receipt at `index` (or the count, at the shorter list's end) is not the one
    /// re-executing the block gives.
    case receiptsMismatch(index: Int)
    /// The verified state moves justification or finality to a checkpoint that the votes the
    /// light node checked do not carry.
    case unsupportedCheckpoint(kind: String, Checkpoint, CheckpointSupport)

    public var description: String {
        switch self {
        case .unknownParent(let root): "parent \(root.hex) was not verified"
        case .slotNotAfterParent(let slot, let parent): "slot \(slot) is not after its parent's slot \(parent)"
        case .unknownProposer(let index): "proposer \(index) is not in the registry"
        case .wrongProposer(let expected, let got): "validator \(got) proposed, the slot's proposer is \(expected)"
        case .badProposerSignature: "the proposer's signature does not verify"
        case .unknownAttester(let index, let validator): "attestation \(index): validator \(validator) is not in the registry"
        case .badAttestationSignature(let index, let validator):
            "attestation \(index): validator \(validator)'s signature does not verify"
        case .missingData(let what): "missing \(what)"
        case .proofClaimMismatch: "the proof's claim is not about this block and its parent's state root"
        case .proof(let error): "\(error)"
        case .reexecution(let error): "stateless re-execution failed: \(error)"
        case .registry(let error): "registry proof: \(error)"
        case .receiptsMismatch(let index): "the node's receipt \(index) is not what re-executing the block gives"
        case .unsupportedCheckpoint(let kind, let checkpoint, let support):
            "the state \(kind) epoch \(checkpoint.epoch) (\(checkpoint.root.hex.prefix(16))…) but the checked votes carry "
                + "\(support.attestingStake.rawValue) of \(support.totalActiveStake.rawValue) active stake, under 2/3"
        }
    }
}
