import CSecp256k1

/// The one libsecp256k1 context that every key and signature operation in Keel uses.
///
/// A context is an `OpaquePointer` to memory that libsecp256k1 only reads after creation and
/// randomization, and the library documents that such a context may be used from many threads
/// at once. It is therefore created lazily and exactly once (Swift's `static let` is thread-safe),
/// never mutated afterwards and never destroyed, which is what makes `@unchecked Sendable` sound.
///
/// Randomization uses a fixed 32-byte seed. Randomization only blinds the internal
/// fixed-base multiplication against timing and power side channels; signatures and keys are
/// bit-for-bit the same whatever the seed. KeelCrypto is a pure core that may not read an RNG
/// (STYLE.md, "Pure core"), and a prototype run on developer machines does not face a physical
/// side-channel attacker, so a fixed seed that still exercises the blinded code path is the
/// chosen trade-off. A production signer would randomize with fresh entropy in the shell.
final class Secp256k1Context: @unchecked Sendable {
    /// The shared context, created on first use.
    static let shared = Secp256k1Context()

    /// The libsecp256k1 context; read-only after `init`.
    let pointer: OpaquePointer

    private init() {
        guard let created = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            preconditionFailure("secp256k1_context_create failed: out of memory")
        }
        let seed = SHA256.hash(Array("keel/secp256k1-context-blinding/v1".utf8))
        let randomized = seed.withUnsafeBytes { buffer in
            secp256k1_context_randomize(created, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        precondition(randomized == 1, "secp256k1_context_randomize must succeed on a fresh context")
        self.pointer = created
    }
}
