/// The well-known secret keys of local devnet validators.
///
/// Every node, simulator and test derives validator i's key from i alone, so a devnet genesis
/// can list public keys that any process can sign for without distributing key files.
///
/// - Important: These keys are public knowledge by design. Never use them outside a devnet.
public enum DevnetKeys {
    /// The secret key of devnet validator `validatorIndex`.
    ///
    /// Defined as `SecretKey(seed: SHA256(littleEndianBytes(validatorIndex)))`: the SHA-256 of
    /// the index as 8 little-endian bytes, reduced into the curve order by the rule of
    /// ``SecretKey/init(seed:)``. Changing this changes every devnet genesis.
    ///
    /// - Parameter validatorIndex: The validator's index in the genesis registry.
    /// - Returns: The validator's secret key.
    public static func secretKey(validatorIndex: UInt64) -> SecretKey {
        let indexBytes = withUnsafeBytes(of: validatorIndex.littleEndian) { Array($0) }
        precondition(indexBytes.count == 8, "a UInt64 index is 8 bytes")
        precondition(indexBytes.first == UInt8(truncatingIfNeeded: validatorIndex),
                     "the first byte is the least significant")
        return SecretKey(seed: SHA256.hash(indexBytes))
    }

    /// The secret key of the devnet prover: the key whose Schnorr signatures over transition
    /// claims the stub proof system accepts as proofs, named in a devnet genesis.
    ///
    /// Defined as `SecretKey(seed: SHA256("keel/devnet/prover"))`: the SHA-256 of the tag's
    /// UTF-8 bytes, reduced into the curve order by the rule of ``SecretKey/init(seed:)``. The
    /// tag is not 8 bytes long, so the key is never a validator's. Changing this changes every
    /// devnet genesis.
    ///
    /// - Important: Public knowledge by design, like the validator keys: anyone can sign
    ///   "proofs" with it. Never use it outside a devnet.
    public static var proverSecretKey: SecretKey {
        let tag = Array("keel/devnet/prover".utf8)
        precondition(tag.count != 8, "a validator key's seed is the hash of 8 bytes")
        return SecretKey(seed: SHA256.hash(tag))
    }
}
