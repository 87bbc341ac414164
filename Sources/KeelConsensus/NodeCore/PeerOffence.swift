/// What a peer did that costs it score: it sent something that decoded but failed a check.
public enum PeerOffence: Hashable, Sendable, CustomStringConvertible {
    /// A block whose state transition or signatures fail.
    case invalidBlock
    /// An attestation with a bad signature.
    case invalidAttestation
    /// A transaction or slashing with a bad signature or one that can never apply.
    case invalidOperation

    public var description: String {
        switch self {
        case .invalidBlock: "invalid block"
        case .invalidAttestation: "invalid attestation"
        case .invalidOperation: "invalid operation"
        }
    }
}
