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
}
