// Shared by the plain benchmark executables (ChainBench, LimitsBench): clocks, medians, pinning.
import Foundation

/// Clocks, medians and CPU pinning for ChainBench.
public enum Clock {
    /// This thread's CPU time: for the single-threaded measurements, which run pinned to one
    /// core. Unlike wall time it does not count time spent descheduled when the machine is busy.
    public static func threadCPU() -> UInt64 { read(CLOCK_THREAD_CPUTIME_ID) }

    /// The whole process's CPU time (every thread): used to check that the all-cores
    /// measurement really kept the cores busy.
    public static func processCPU() -> UInt64 { read(CLOCK_PROCESS_CPUTIME_ID) }

    /// Monotonic wall time: for the parallel measurements (a thread's CPU time cannot see the
    /// other threads) and for simulator speed, which the issue asks for in wall-clock terms.
    public static func wall() -> UInt64 { read(CLOCK_MONOTONIC) }

    private static func read(_ clock: clockid_t) -> UInt64 {
        var time = timespec()
        let status = clock_gettime(clock, &time)
        precondition(status == 0, "clock_gettime works")
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

/// The median of a non-empty list (the mean of the middle two for an even count).
public func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "median of nothing")
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// Formats nanoseconds as milliseconds.
public func ms(_ nanoseconds: Double, _ decimals: Int = 2) -> String {
    String(format: "%.\(decimals)f ms", nanoseconds / 1e6)
}

public func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

/// The calling thread's CPU affinity (Linux `sched_{get,set}affinity` with pid 0, which means
/// the calling thread). ChainBench pins its main thread itself instead of running under
/// `taskset`, so that one process can measure single-core figures pinned and then verify
/// signatures on every core it was started with.
///
/// Glibc's Swift module does not export these functions (they sit behind `_GNU_SOURCE`), so they
/// are looked up with `dlsym` and called through C function pointers.
public enum Affinity {
    private typealias Function = @convention(c) (Int32, Int, UnsafeMutableRawPointer?) -> Int32
    /// 1024 CPUs, glibc's `cpu_set_t`.
    private static let maskWords = 16

    private static func function(_ name: String) -> Function? {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, name) else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }

    /// The CPUs the calling thread may run on, ascending; nil if it cannot be read.
    public static func current() -> [Int]? {
        guard let get = function("sched_getaffinity") else { return nil }
        var mask = [UInt64](repeating: 0, count: maskWords)
        let status = mask.withUnsafeMutableBytes { get(0, $0.count, $0.baseAddress) }
        guard status == 0 else { return nil }
        return (0..<(maskWords * 64)).filter { mask[$0 / 64] & (1 << UInt64($0 % 64)) != 0 }
    }

    /// Restricts the calling thread to `cpus`; false if the kernel refused.
    @discardableResult
    public static func set(_ cpus: [Int]) -> Bool {
        guard let setter = function("sched_setaffinity"), !cpus.isEmpty else { return false }
        var mask = [UInt64](repeating: 0, count: maskWords)
        for cpu in cpus where cpu >= 0 && cpu < maskWords * 64 { mask[cpu / 64] |= 1 << UInt64(cpu % 64) }
        return mask.withUnsafeMutableBytes { setter(0, $0.count, $0.baseAddress) } == 0
    }

    public static func describe(_ cpus: [Int]?) -> String {
        guard let cpus, !cpus.isEmpty else { return "unknown" }
        return cpus.map(String.init).joined(separator: ",")
    }
}

/// Keeps a value alive so that the optimizer cannot drop the work that made it.
@inline(never)
public func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
