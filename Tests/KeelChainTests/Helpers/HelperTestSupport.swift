import KeelChain
import KeelCrypto
import KeelTestSupport

/// Deterministic 32-byte seeds for the helper tests: `SHA256("label" ‖ n)`.
func testSeed(_ label: String, _ number: UInt64) -> Root {
    var hasher = SHA256.Hasher()
    hasher.update(Array(label.utf8))
    hasher.update(withUnsafeBytes(of: number.littleEndian, Array.init))
    return hasher.finalize()
}

/// A random seed drawn from a seeded generator.
func randomSeed(_ generator: inout SplitMix64) -> Root {
    testSeed("random", generator.next())
}
