import Dispatch
import KeelChain

/// Checks a block's signature sets on every core: the shell's half of
/// `SignatureStrategy.collect`, which keeps the state transition itself single-threaded.
public enum ParallelSignatureVerifier {
    /// Chunks per core by default. `concurrentPerform` hands chunks to cores as they free up, so
    /// several small chunks per core keep every core busy to the end even when the cores are not
    /// equally fast (the vCPUs of a shared VM often are not: Benchmarks/results/chain.md measured
    /// one 15% slower than the other, and one equal chunk per core then waits for the slow one).
    /// A chunk costs about a microsecond to hand out, against about 60 µs per signature.
    public static let chunksPerCore = 8

    /// The default chunk count: `chunksPerCore` per core this process may use.
    public static var defaultChunkCount: Int { chunksPerCore * ProcessInfoCores.activeProcessorCount }

    /// Whether every set is valid, checked in `chunkCount` parallel chunks (default:
    /// ``defaultChunkCount``, never more than one chunk per set). The answer is the same whatever
    /// the chunking: it is the conjunction of pure checks.
    public static func verifyAll(_ sets: [SignatureSet], chunkCount: Int = defaultChunkCount) -> Bool {
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
