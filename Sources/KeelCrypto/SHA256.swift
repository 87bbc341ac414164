import COpenSSL

/// SHA-256, the one hash function of the Keel chain rules (block roots, the state tree, RANDAO
/// hash chains, devnet key derivation).
///
/// Implemented with OpenSSL's `SHA256_Init`/`SHA256_Update`/`SHA256_Final` on a context that
/// lives on the caller's stack. That is both the fast path (OpenSSL picks SHA-NI or AVX2 block
/// functions; the one-shot `SHA256()` of OpenSSL 3 looks the algorithm up on every call and is
/// about three times slower on 64-byte inputs, see TOOLCHAIN.md) and thread-safe by
/// construction, because no hashing state is ever shared between calls.
///
/// - Important: Every function here is safe to call from any number of threads at once.
public enum SHA256 {
    /// The digest of `data`.
    ///
    /// - Parameter data: The bytes to hash. Arrays and slices are hashed in place.
    /// - Returns: The 32-byte digest.
    public static func hash(_ data: some Collection<UInt8>) -> Hash32 {
        var hasher = Hasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// The digest of an array; a concrete overload so callers in other modules reach OpenSSL
    /// without going through generic dispatch.
    ///
    /// - Parameter data: The bytes to hash.
    /// - Returns: The 32-byte digest.
    public static func hash(_ data: [UInt8]) -> Hash32 {
        data.withUnsafeBytes { hash(bytes: $0) }
    }

    /// The digest of an array slice, hashed in place without generic dispatch.
    ///
    /// - Parameter data: The bytes to hash.
    /// - Returns: The 32-byte digest.
    public static func hash(_ data: ArraySlice<UInt8>) -> Hash32 {
        data.withUnsafeBytes { hash(bytes: $0) }
    }

    /// The digest of raw memory, for encoders that already hold their output in a buffer.
    ///
    /// - Parameter bytes: The bytes to hash; only read during the call.
    /// - Returns: The 32-byte digest.
    public static func hash(bytes: UnsafeRawBufferPointer) -> Hash32 {
        var context = SHA256_CTX()
        precondition(SHA256_Init(&context) == 1, "SHA256_Init cannot fail")
        precondition(SHA256_Update(&context, bytes.baseAddress, bytes.count) == 1,
                     "SHA256_Update cannot fail on an initialised context")
        return finalize(&context)
    }

    /// The digest of one 32-byte value: a step along a hash chain, or a re-hashed seed.
    ///
    /// - Parameter value: The 32 bytes to hash.
    /// - Returns: `SHA256.hash(value.bytes)`, without allocating.
    public static func hash(_ value: Hash32) -> Hash32 {
        value.withUnsafeBytes { hash(bytes: $0) }
    }

    /// The digest of the 64-byte concatenation `a || b`: a Merkle inner node and one step of
    /// hashing pairs.
    ///
    /// This is the hot path of the state tree, so the 64 bytes are assembled in registers and on
    /// the stack and hashed with no allocation and no algorithm lookup.
    ///
    /// - Parameters:
    ///   - a: The left child; its bytes come first.
    ///   - b: The right child.
    /// - Returns: `SHA256.hash(a.bytes + b.bytes)`.
    public static func hash(_ a: Hash32, _ b: Hash32) -> Hash32 {
        let block = (a.word0, a.word1, a.word2, a.word3, b.word0, b.word1, b.word2, b.word3)
        return Swift.withUnsafeBytes(of: block) { buffer in
            precondition(buffer.count == 2 * Hash32.byteCount, "a node is two 32-byte children")
            return hash(bytes: buffer)
        }
    }

    /// Writes the digest of `context` and returns it; the context is spent afterwards.
    static func finalize(_ context: inout SHA256_CTX) -> Hash32 {
        let digest = Hash32 { output in
            precondition(output.count == Int(SHA256_DIGEST_LENGTH), "SHA-256 digests are 32 bytes")
            let status = SHA256_Final(output.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
            precondition(status == 1, "SHA256_Final cannot fail on an initialised context")
        }
        return digest
    }
}
