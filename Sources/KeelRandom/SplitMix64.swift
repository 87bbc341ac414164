/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, fast, deterministic pseudo-random generator.
///
/// It is the only source of randomness for Keel's tests and fuzzers: one `UInt64` seed fixes every
/// value drawn from it, on every platform, so any failure can be reproduced from its seed.
///
/// - Important: Not cryptographic. Never use it for keys, nonces or anything an adversary sees.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    /// The golden-ratio increment of the reference algorithm.
    static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The generator's whole state; the next output is a function of `state + increment`.
    public private(set) var state: UInt64

    /// Creates a generator whose outputs are fixed by `seed`.
    ///
    /// - Parameters:
    ///   - seed: Any 64-bit value; nearby seeds give unrelated sequences.
    public init(seed: UInt64) {
        self.state = seed
    }

    /// Returns the next 64 pseudo-random bits.
    ///
    /// - Returns: A value uniformly distributed over all of `UInt64`.
    public mutating func next() -> UInt64 {
        state &+= Self.increment
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
