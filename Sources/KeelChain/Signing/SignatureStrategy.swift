import KeelCrypto

/// One signature to check: who signed, what (a signing root), and the signature.
public struct SignatureSet: Hashable, Sendable {
    public var publicKey: PublicKey
    public var signingRoot: Root
    public var signature: Signature

    public init(publicKey: PublicKey, signingRoot: Root, signature: Signature) {
        self.publicKey = publicKey
        self.signingRoot = signingRoot
        self.signature = signature
    }

    public var isValid: Bool { publicKey.isValidSignature(signature, for: signingRoot) }
}

/// How block processing treats signatures (Lighthouse's `BlockSignatureStrategy`).
public enum SignatureStrategy: Sendable {
    /// Check each signature where it is met; the first bad one names its operation.
    case verifyIndividually
    /// Collect every signature into `SignatureCollector`, for the caller to check in bulk (on
    /// all cores); the block is valid only if all of them are.
    case collect
    /// Check nothing. Only the simulator's scale runs use this, and they print that they do.
    case skip
}

/// The signatures a block's processing met under `SignatureStrategy.collect`.
public struct SignatureCollector: Sendable {
    public private(set) var sets: [SignatureSet] = []
    public init() {}
    mutating func append(_ set: SignatureSet) { sets.append(set) }
}
