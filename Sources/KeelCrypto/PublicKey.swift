import CSecp256k1

/// A BIP-340 public key: the 32-byte x coordinate of a secp256k1 point with even y.
///
/// A `PublicKey` is valid by construction: the only ways to get one are parsing bytes that
/// libsecp256k1 accepts as an x-only key, or deriving it from a ``SecretKey``. Code that holds a
/// `PublicKey` therefore never has to handle "not on the curve" again, and the parsed form is
/// kept so that verification does not repeat the square root.
///
/// Equality and hashing use the 32 serialized bytes only.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The serialized x-only key (BIP-340 `bytes(P)`).
    let serialized: Hash32
    /// The same key parsed by libsecp256k1, ready for `secp256k1_schnorrsig_verify`.
    let parsed: secp256k1_xonly_pubkey

    /// The number of bytes in a serialized key.
    public static let byteCount = 32

    /// Parses a serialized x-only public key.
    ///
    /// - Parameter bytes: 32 bytes, the big-endian x coordinate.
    /// - Returns: `nil` unless there are exactly 32 bytes, they encode a field element below
    ///   the field size, and that x is on the curve (BIP-340 `lift_x` succeeds). Rejecting here
    ///   is what makes a signature under an invalid key fail verification.
    public init?(bytes: some Collection<UInt8>) {
        guard let serialized = Hash32(bytes: bytes) else {
            return nil
        }
        var parsed = secp256k1_xonly_pubkey()
        let status = serialized.withUnsafeBytes { buffer in
            secp256k1_xonly_pubkey_parse(
                Secp256k1Context.shared.pointer, &parsed,
                buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard status == 1 else {
            return nil
        }
        self.init(serialized: serialized, parsed: parsed)
    }

    /// Parses a key written as 64 hex digits (optional `0x`, either case).
    ///
    /// - Parameter hex: The hexadecimal form.
    /// - Returns: `nil` if the text is not 32 bytes of hex or the bytes are not a valid key.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else {
            return nil
        }
        self.init(bytes: bytes)
    }

    /// Wraps a key libsecp256k1 already parsed, serializing it to fill the byte form.
    init(parsed: secp256k1_xonly_pubkey) {
        var parsed = parsed
        let serialized = Hash32 { output in
            let status = secp256k1_xonly_pubkey_serialize(
                Secp256k1Context.shared.pointer,
                output.baseAddress!.assumingMemoryBound(to: UInt8.self), &parsed)
            precondition(status == 1, "serializing a parsed x-only key cannot fail")
        }
        precondition(serialized != .zero, "x = 0 is not on secp256k1, so no key serializes to zero")
        self.init(serialized: serialized, parsed: parsed)
    }

    private init(serialized: Hash32, parsed: secp256k1_xonly_pubkey) {
        self.serialized = serialized
        self.parsed = parsed
    }

    /// The 32 serialized bytes, as signed into messages and stored in the validator registry.
    public var bytes: [UInt8] {
        serialized.bytes
    }

    /// The 64-digit lowercase hexadecimal form.
    public var hex: String {
        serialized.hex
    }

    /// The hexadecimal form, so logs name validators by key.
    public var description: String {
        serialized.hex
    }

    /// Compares serialized bytes only; the parsed form is derived from them.
    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.serialized == rhs.serialized
    }

    /// Hashes serialized bytes only, consistent with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(serialized)
    }
}
