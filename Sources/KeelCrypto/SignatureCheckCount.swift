import Synchronization

/// How many BIP-340 verifications this process has run, for throughput figures (`make bench`
/// compares the simulator's verification rate with libsecp256k1's on all cores). Counting only:
/// nothing decides anything by it.
public enum SignatureCheckCount {
    private static let counter = Atomic<UInt64>(0)

    /// Verifications run so far by this process.
    public static var total: UInt64 { counter.load(ordering: .relaxed) }

    static func increment() { counter.wrappingAdd(1, ordering: .relaxed) }
}
