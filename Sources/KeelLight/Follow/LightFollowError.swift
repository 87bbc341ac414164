import KeelChain
import KeelCrypto

/// Why following a node stopped.
public enum LightFollowError: Error, Sendable, CustomStringConvertible {
    case http(LightHTTPError)
    case undecodable(String, String)
    /// A block the node served failed verification: the node (or its prover) is not to be
    /// trusted, or the chain is not the one the light node started from.
    case rejected(slot: Slot, root: Root, LightVerificationError)
    /// The node's head does not descend from anything the light node verified within `depth`
    /// blocks.
    case disconnected(head: Root, depth: Int)
    case noProverKey
    case anchor(String)
    case accountProofInvalid(Address)
    case accountRootNotVerified(Root)

    public var description: String {
        switch self {
        case .http(let error): "\(error)"
        case .undecodable(let path, let reason): "cannot decode \(path): \(reason)"
        case .rejected(let slot, let root, let error): "REJECTED block at slot \(slot) (\(root.hex)): \(error)"
        case .disconnected(let head, let depth):
            "the node's head \(head.hex) does not reach a verified block within \(depth) blocks"
        case .noProverKey: "genesis names no prover key, so there are no proofs to check; use --verify reexec"
        case .anchor(let reason): "cannot start: \(reason)"
        case .accountProofInvalid(let address): "the node's proof of account \(address.hash.hex) does not hold"
        case .accountRootNotVerified(let root): "the node answered from state root \(root.hex), which this light node has not verified"
        }
    }
}
