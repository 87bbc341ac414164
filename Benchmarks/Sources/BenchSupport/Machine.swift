import Foundation

/// What the numbers were measured on (the same description as VMRatio's report).
public struct Machine {
    public var cpuModel: String
    public var coreCount: Int
    public var cpusAllowed: String
    public var date: String

    public static func current() -> Machine {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        return Machine(
            cpuModel: field("model name", in: cpuinfo) ?? "unknown CPU",
            coreCount: ProcessInfo.processInfo.activeProcessorCount,
            cpusAllowed: field("Cpus_allowed_list", in: status) ?? "unknown",
            date: ISO8601DateFormatter().string(from: Date()))
    }

    /// The fraction of all CPUs' time spent idle over the next `seconds` (from /proc/stat): how
    /// much of the machine other processes leave to the parallel measurement.
    public static func idleFraction(over seconds: Double) -> Double? {
        func sample() -> (idle: UInt64, total: UInt64)? {
            guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
            else { return nil }
            let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
            guard fields.count >= 5 else { return nil }
            return (fields[3] + fields[4], fields.prefix(8).reduce(0, +))
        }
        guard let before = sample() else { return nil }
        usleep(UInt32(seconds * 1e6))
        guard let after = sample(), after.total > before.total else { return nil }
        return Double(after.idle - before.idle) / Double(after.total - before.total)
    }

    /// The 1-minute load average from /proc/loadavg.
    public static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").first.map(String.init) ?? "unknown"
    }

    /// The value of the first `key: value` line.
    private static func field(_ key: String, in text: String) -> String? {
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}

/// How busy other processes kept the machine while a section ran: all CPUs' busy time (from
/// /proc/stat) less this process's own CPU time, per second of wall time, in cores. Near 0 on an
/// idle machine; on a busy one the wall-clock rows (and, through shared caches, even the CPU-time
/// rows) are slower than the code is.
public struct OtherLoad {
    private let busyTicks: UInt64?
    private let ownCPU = Clock.processCPU()
    private let wall = Clock.wall()

    public init() { busyTicks = Self.busyTicks() }

    /// Cores kept busy by other processes since `init`, nil if /proc/stat cannot be read.
    public func cores() -> Double? {
        guard let before = busyTicks, let after = Self.busyTicks() else { return nil }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let busySeconds = Double(after - before) / ticksPerSecond
        let ownSeconds = Double(Clock.processCPU() - ownCPU) / 1e9
        let wallSeconds = Double(Clock.wall() - wall) / 1e9
        guard wallSeconds > 0 else { return nil }
        return max(0, (busySeconds - ownSeconds) / wallSeconds)
    }

    public func describe() -> String { cores().map { fixed($0, 2) } ?? "unknown" }

    /// user + nice + system + irq + softirq + steal ticks of all CPUs.
    private static func busyTicks() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") })
        else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 8 else { return nil }
        return fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
    }
}
