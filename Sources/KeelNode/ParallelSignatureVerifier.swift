import Dispatch
import KeelChain

/// Checks a block's signature sets on every core: the shell's half of
/// `SignatureStrategy.collect`, which keeps the state transition itself single-threaded.
public enum ParallelSignatureVerifier {
    /// Whether every set is valid, checked in `chunkCount` parallel chunks (default: one per core).
    /// The answer is the same whatever the chunking: it is the conjunction of pure checks.
    public static func verifyAll(_ sets: [SignatureSet], chunkCount: Int = ProcessInfoCores.activeProcessorCount) -> Bool {
        guard sets.count > 1, chunkCount > 1 else { return sets.allSatisfy(\.isValid) }
        let chunks = min(chunkCount, sets.count)
        let results = ChunkResults(count: chunks)
        defer { results.slots.deallocate() }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = sets.count * chunk / chunks
            let end = sets.count * (chunk + 1) / chunks
            results.slots[chunk] = sets[start..<end].allSatisfy(\.isValid)
        }
        return results.slots.allSatisfy { $0 }
    }
}

/// One result slot per chunk. Each worker writes only its own slot, and the slots are read after
/// `concurrentPerform` returns, so no two threads touch one slot.
private struct ChunkResults: @unchecked Sendable {
    let slots: UnsafeMutableBufferPointer<Bool>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: false)
    }
}

/// The number of cores this process may use.
public enum ProcessInfoCores {
    public static var activeProcessorCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#endif
