/// A 64-byte BIP-340 Schnorr signature: `bytes(R) || bytes(s)`.
///
/// Construction checks the length only. Whether the two halves are in range (R.x below the
/// field size, s below the curve order) is part of verification, as BIP-340 specifies, so an
/// out-of-range signature is representable and simply never verifies. Held inline as two
/// 32-byte halves so that blocks carrying many attestations do not allocate per signature.
public struct Signature: Hashable, Sendable, CustomStringConvertible {
    /// The first half, BIP-340 `bytes(R)`.
    let r: Hash32
    /// The second half, BIP-340 `bytes(s)`.
    let s: Hash32

    /// The number of bytes in a signature.
    public static let byteCount = 64

    /// Wraps 64 bytes as a signature.
    ///
    /// - Parameter bytes: The serialized signature.
    /// - Returns: `nil` unless there are exactly 64 bytes.
    public init?(bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        guard array.count == Signature.byteCount,
            let r = Hash32(bytes: array[0..<32]),
            let s = Hash32(bytes: array[32..<64])
        else {
            return nil
        }
        self.init(r: r, s: s)
    }

    /// Parses a signature written as 128 hex digits (optional `0x`, either case).
    ///
    /// - Parameter hex: The hexadecimal form.
    /// - Returns: `nil` if the text is not exactly 64 bytes of hex.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else {
            return nil
        }
        self.init(bytes: bytes)
    }

    init(r: Hash32, s: Hash32) {
        self.r = r
        self.s = s
    }

    /// Creates a signature by letting `body` write all 64 bytes (as libsecp256k1 signing does).
    init(writingWith body: (UnsafeMutableRawBufferPointer) -> Void) {
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { buffer in
            precondition(buffer.count == Signature.byteCount, "signature scratch must be 64 bytes")
            body(buffer)
        }
        self.init(
            r: Hash32(word0: words.0, word1: words.1, word2: words.2, word3: words.3),
            s: Hash32(word0: words.4, word1: words.5, word2: words.6, word3: words.7))
    }

    /// Calls `body` with the 64 bytes in order, without allocating.
    ///
    /// - Important: The buffer is valid only during the call.
    /// - Parameter body: Reads the bytes.
    /// - Returns: What `body` returns.
    public func withUnsafeBytes<Result>(
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        let words = (r.word0, r.word1, r.word2, r.word3, s.word0, s.word1, s.word2, s.word3)
        return try Swift.withUnsafeBytes(of: words) { buffer in
            precondition(buffer.count == Signature.byteCount, "signature storage must be 64 bytes")
            return try body(buffer)
        }
    }

    /// The 64 bytes in order, as a new array.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// The 128-digit lowercase hexadecimal form.
    public var hex: String {
        withUnsafeBytes { Hex.encode($0) }
    }

    /// The hexadecimal form.
    public var description: String {
        hex
    }
}
