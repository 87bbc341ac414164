import CSecp256k1

/// A BIP-340 secret key: a scalar in [1, n) where n is the secp256k1 group order.
///
/// The key is held as a libsecp256k1 keypair, which caches the public point, so signing does
/// not redo the expensive scalar multiplication, and ``publicKey`` is computed once.
///
/// - Important: Swift gives no way to wipe memory reliably, so secret bytes may linger in
///   freed memory. That is acceptable for a prototype whose devnet keys are public anyway
///   (see ``DevnetKeys``); it is not a hardened signer. `description` is redacted so a key
///   printed by accident does not leak into logs.
public struct SecretKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// libsecp256k1's keypair: the secret scalar and its public point.
    let keypair: secp256k1_keypair

    /// The x-only public key, BIP-340 `bytes(d·G)`.
    public let publicKey: PublicKey

    /// The number of bytes in a serialized secret key.
    public static let byteCount = 32

    /// The most times ``init(seed:)`` re-hashes a seed whose reduction is zero. Each attempt
    /// fails with probability about 2⁻²⁵⁶, so the bound is never reached in practice; it exists
    /// so that the loop is visibly finite.
    public static let seedRehashCountMax = 64

    /// The secp256k1 group order n, big-endian.
    static let curveOrder: [UInt8] = Hex.decode(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")!

    /// Wraps a secret key given as 32 big-endian bytes.
    ///
    /// - Parameter bytes: The scalar d, big-endian.
    /// - Returns: `nil` unless there are exactly 32 bytes and 1 ≤ d < n, so an out-of-range key
    ///   is rejected rather than silently reduced.
    public init?(bytes: some Collection<UInt8>) {
        guard let scalar = Hash32(bytes: bytes) else {
            return nil
        }
        var keypair = secp256k1_keypair()
        let created = scalar.withUnsafeBytes { buffer in
            secp256k1_keypair_create(
                Secp256k1Context.shared.pointer, &keypair,
                buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard created == 1 else {
            return nil
        }
        self.init(keypair: keypair)
    }

    /// Derives a valid key from any 32-byte seed, deterministically.
    ///
    /// The seed is read as a big-endian integer and reduced modulo n. Because every 32-byte
    /// integer is below 2n, that is at most one subtraction. Only a reduced value of zero is
    /// invalid (seeds 0 and n); then the seed is replaced by its SHA-256 and reduced again,
    /// up to ``seedRehashCountMax`` times. Seeds below n therefore give exactly the key with
    /// those bytes. This rule is part of the devnet definition: ``DevnetKeys`` relies on it, and
    /// changing it changes every devnet validator's key.
    ///
    /// - Parameter seed: Any 32 bytes, for example a SHA-256 output.
    public init(seed: Hash32) {
        var candidate = seed
        for _ in 0...SecretKey.seedRehashCountMax {
            let reduced = SecretKey.reduceModuloCurveOrder(candidate.bytes)
            if let key = SecretKey(bytes: reduced) {
                self = key
                return
            }
            precondition(reduced.allSatisfy { $0 == 0 }, "a reduced non-zero scalar is a valid key")
            candidate = SHA256.hash(candidate)
        }
        preconditionFailure("\(SecretKey.seedRehashCountMax) SHA-256 rehashes all reduced to zero")
    }

    private init(keypair: secp256k1_keypair) {
        var keypair = keypair
        var xonly = secp256k1_xonly_pubkey()
        let status = secp256k1_keypair_xonly_pub(
            Secp256k1Context.shared.pointer, &xonly, nil, &keypair)
        precondition(status == 1, "a created keypair always has an x-only public key")
        self.keypair = keypair
        self.publicKey = PublicKey(parsed: xonly)
    }

    /// The 32 big-endian bytes of the scalar, for writing a key file.
    ///
    /// - Important: These bytes are the secret. Never log or send them.
    public var bytes: [UInt8] {
        var keypair = keypair
        var secret = [UInt8](repeating: 0, count: SecretKey.byteCount)
        let status = secp256k1_keypair_sec(Secp256k1Context.shared.pointer, &secret, &keypair)
        precondition(status == 1, "a keypair always yields its secret key")
        precondition(secret.contains { $0 != 0 }, "a valid secret key is not zero")
        return secret
    }

    /// A redacted description naming only the public key, so keys never reach logs.
    public var description: String {
        "SecretKey(publicKey: \(publicKey.hex))"
    }

    /// The same redacted form, so `debugPrint` and the debugger's summary hide the secret too.
    public var debugDescription: String {
        description
    }

    /// `value mod n` for a 32-byte big-endian `value`, which is below 2n, so at most one
    /// subtraction of n is needed.
    static func reduceModuloCurveOrder(_ value: [UInt8]) -> [UInt8] {
        precondition(value.count == 32, "scalars are 32 bytes")
        guard !value.lexicographicallyPrecedes(curveOrder) else {
            return value
        }
        var difference = [UInt8](repeating: 0, count: 32)
        var borrow = 0
        for index in (0..<32).reversed() {
            var digit = Int(value[index]) - Int(curveOrder[index]) - borrow
            borrow = digit < 0 ? 1 : 0
            digit += borrow * 256
            difference[index] = UInt8(digit)
        }
        precondition(borrow == 0, "value ≥ n, so value - n does not underflow")
        precondition(difference.lexicographicallyPrecedes(curveOrder), "value < 2n, so value - n < n")
        return difference
    }
}
