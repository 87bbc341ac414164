import BenchSupport
import COpenSSL
import KeelCrypto

/// SHA-256 through KeelCrypto against `openssl speed -evp sha256` on the same input size, plus
/// OpenSSL called directly in this process as a breakdown (is a gap the wrapper, or the process?).
enum SHA256Bench {
    /// The ways of hashing `size` bytes that are timed in this process.
    enum Path: CaseIterable {
        /// `SHA256.hash(bytes:)`, KeelCrypto's raw-memory entry point.
        case keelBytes
        /// `SHA256.hash(a, b)`, the Merkle inner node (64 bytes only).
        case keelNode
        /// `EVP_Digest` with a fetched `EVP_MD`, what `openssl speed -evp` loops over.
        case evpDigest

        var name: String {
            switch self {
            case .keelBytes: "KeelCrypto SHA256.hash(bytes:)"
            case .keelNode: "KeelCrypto SHA256.hash(a, b) (Merkle node)"
            case .evpDigest: "EVP_Digest, fetched EVP_MD, in-process"
            }
        }
    }

    /// Bytes per second of `path` on `size`-byte inputs, from the thread CPU time of `iterations` hashes.
    static func rate(_ path: Path, size: Int, iterations: Int) -> Double {
        precondition(size > 0 && iterations > 0, "something to hash")
        precondition(path != .keelNode || size == 64, "a Merkle node is 64 bytes")
        var input = [UInt8](repeating: 0, count: size)
        for index in input.indices { input[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7) }
        let left = Hash32(bytes: input.prefix(32))!
        let right = Hash32(bytes: input.suffix(32))!
        let start: UInt64
        switch path {
        case .keelBytes:
            start = input.withUnsafeBytes { buffer in
                let start = Clock.threadCPU()
                for _ in 0..<iterations { blackHole(SHA256.hash(bytes: buffer)) }
                return start
            }
        case .keelNode:
            start = Clock.threadCPU()
            for _ in 0..<iterations { blackHole(SHA256.hash(left, right)) }
        case .evpDigest:
            guard let md = EVP_MD_fetch(nil, "SHA256", nil) else { preconditionFailure("OpenSSL has SHA256") }
            defer { EVP_MD_free(md) }
            var digest = [UInt8](repeating: 0, count: 32)
            start = Clock.threadCPU()
            for _ in 0..<iterations {
                precondition(EVP_Digest(input, size, &digest, nil, md, nil) == 1, "EVP_Digest works")
                blackHole(digest)
            }
        }
        let elapsed = Double(Clock.threadCPU() - start)
        return Double(size * iterations) / (elapsed / 1e9)
    }
}

/// Formats bytes per second as MB/s (10^6).
func megabytes(_ bytesPerSecond: Double) -> String { fixed(bytesPerSecond / 1e6, 0) + " MB/s" }
