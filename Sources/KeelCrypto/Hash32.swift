/// A 32-byte value: a SHA-256 digest, a Merkle root, a RANDAO reveal or any other fixed-size
/// commitment in Keel.
///
/// The bytes are held inline as four `UInt64` words whose in-memory representation *is* the
/// 32 bytes in order, so a `Hash32` never allocates, compares in four word comparisons and can
/// be handed to C (OpenSSL, libsecp256k1) as a pointer without copying into an array. This is
/// what keeps Merkle hashing and fork-choice maps cheap.
///
/// Ordering is lexicographic by bytes (the same as comparing the big-endian 256-bit integers),
/// which is the order the chain rules use to break ties, for example "ties to the higher root".
public struct Hash32: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Bytes 0..<8, 8..<16, 16..<24 and 24..<32, each word in memory order (not a number).
    @usableFromInline let word0: UInt64
    @usableFromInline let word1: UInt64
    @usableFromInline let word2: UInt64
    @usableFromInline let word3: UInt64

    /// The number of bytes in every `Hash32`.
    public static let byteCount = 32

    /// The all-zero value, used as "no parent", as the default BIP-340 auxiliary randomness and
    /// as the empty Merkle leaf.
    public static let zero = Hash32(word0: 0, word1: 0, word2: 0, word3: 0)

    @inlinable
    init(word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64) {
        self.word0 = word0
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }

    /// Creates a value from exactly 32 bytes.
    ///
    /// Arrays and slices are read in place; other collections are copied once.
    ///
    /// - Parameter bytes: The bytes, in order.
    /// - Returns: `nil` unless `bytes` holds exactly 32 bytes, so a truncated or padded input from
    ///   a peer is rejected rather than silently cut or zero-filled.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Hash32.byteCount else {
            return nil
        }
        let loaded = bytes.withContiguousStorageIfAvailable { buffer in
            Hash32(loadingFrom: UnsafeRawBufferPointer(buffer))
        }
        self = loaded ?? Array(bytes).withUnsafeBytes { Hash32(loadingFrom: $0) }
    }

    /// Creates a value from 64 hexadecimal digits.
    ///
    /// - Parameter hex: Exactly 64 hex digits in either case, with or without a `0x` prefix; the
    ///   form that genesis files, the HTTP API and the command line use.
    /// - Returns: `nil` for any other length or for a non-hex character.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex), bytes.count == Hash32.byteCount else {
            return nil
        }
        self.init(bytes: bytes)
    }

    /// Reads 32 bytes from `buffer`, which the caller guarantees holds exactly 32 bytes.
    @inlinable
    init(loadingFrom buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count == Hash32.byteCount, "Hash32 needs exactly 32 bytes")
        self.init(
            word0: buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
            word1: buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
            word2: buffer.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
            word3: buffer.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
        )
    }

    /// Creates a value by letting `body` write all 32 bytes into zeroed scratch space; used to
    /// receive digests and serialized keys from C without an intermediate array.
    @inlinable
    init(writingWith body: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        try withUnsafeMutableBytes(of: &words) { buffer in
            precondition(buffer.count == Hash32.byteCount, "Hash32 scratch must be 32 bytes")
            try body(buffer)
        }
        self.init(word0: words.0, word1: words.1, word2: words.2, word3: words.3)
    }

    /// Calls `body` with the 32 bytes in order, without allocating.
    ///
    /// - Important: The buffer is valid only during the call; do not let it escape.
    /// - Parameter body: Reads the bytes, for example to feed a hasher or an encoder.
    /// - Returns: What `body` returns.
    @inlinable
    public func withUnsafeBytes<Result>(
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        let words = (word0, word1, word2, word3)
        return try Swift.withUnsafeBytes(of: words) { buffer in
            precondition(buffer.count == Hash32.byteCount, "Hash32 storage must be 32 bytes")
            return try body(buffer)
        }
    }

    /// The 32 bytes in order, as a new array.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// The 64-digit lowercase hexadecimal form without a prefix, as logs and the API print it.
    public var hex: String {
        withUnsafeBytes { Hex.encode($0) }
    }

    /// The hexadecimal form, so that logs and test failures show the value itself.
    public var description: String {
        hex
    }

    /// Orders by bytes, first byte most significant.
    ///
    /// Each word holds its bytes in memory order, so it is read as a big-endian integer first;
    /// comparing the raw words would order by the *last* byte of each word on little-endian
    /// machines.
    @inlinable
    public static func < (lhs: Hash32, rhs: Hash32) -> Bool {
        let left = (
            UInt64(bigEndian: lhs.word0), UInt64(bigEndian: lhs.word1),
            UInt64(bigEndian: lhs.word2), UInt64(bigEndian: lhs.word3)
        )
        let right = (
            UInt64(bigEndian: rhs.word0), UInt64(bigEndian: rhs.word1),
            UInt64(bigEndian: rhs.word2), UInt64(bigEndian: rhs.word3)
        )
        return left < right
    }
}
