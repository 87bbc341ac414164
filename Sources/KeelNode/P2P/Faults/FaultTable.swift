import Foundation

/// The faults a testnet injects into its nodes' links (`keel testnet fault ...`), as the file
/// `faults.json` in the testnet's directory holds them. Every testnet node reads it (``LinkFaults``)
/// and applies it to what it sends; a fault with `until_ms` ends by itself at that wall-clock time.
///
/// Semantics, per message from node `a` to node `b`:
/// - dropped when a partition puts `a` and `b` in different groups;
/// - delayed by the latency of `a` plus that of `b` (each `ms` plus a uniform jitter in
///   `-jitter_ms ... jitter_ms`, never below zero), keeping the link's order;
/// - lost with probability `1 - (1 - p_a)(1 - p_b)`.
public struct FaultTable: Codable, Hashable, Sendable {
    /// The format version this build reads and writes.
    public static let currentVersion = 1
    /// The largest file read.
    public static let byteCountMax = 64 * 1024

    public struct Partition: Codable, Hashable, Sendable {
        /// Disjoint groups of node indices; nodes in no group are cut off from all groups.
        public var groups: [[Int]]
        public var untilMs: UInt64?

        public init(groups: [[Int]], untilMs: UInt64? = nil) {
            self.groups = groups
            self.untilMs = untilMs
        }
    }

    public struct Latency: Codable, Hashable, Sendable {
        public var node: Int
        public var ms: UInt64
        public var jitterMs: UInt64
        public var untilMs: UInt64?

        public init(node: Int, ms: UInt64, jitterMs: UInt64, untilMs: UInt64? = nil) {
            self.node = node
            self.ms = ms
            self.jitterMs = jitterMs
            self.untilMs = untilMs
        }
    }

    public struct Loss: Codable, Hashable, Sendable {
        public var node: Int
        /// The probability of losing each message, in `0 ... 1`.
        public var p: Double
        public var untilMs: UInt64?

        public init(node: Int, p: Double, untilMs: UInt64? = nil) {
            self.node = node
            self.p = p
            self.untilMs = untilMs
        }
    }

    public var version: Int = FaultTable.currentVersion
    /// Seeds each link's random choices (loss, jitter): a run with the same table repeats.
    public var seed: UInt64
    /// The peer-to-peer port of each node, by index: how a node tells which node a link goes to.
    public var ports: [Int]
    public var partition: Partition?
    public var latency: [Latency] = []
    public var loss: [Loss] = []

    public init(seed: UInt64, ports: [Int]) {
        self.seed = seed
        self.ports = ports
    }

    /// The table without the faults that ended by `nowMs`.
    public func active(atMs nowMs: UInt64) -> FaultTable {
        var table = self
        if let until = partition?.untilMs, until <= nowMs { table.partition = nil }
        table.latency.removeAll { ($0.untilMs ?? .max) <= nowMs }
        table.loss.removeAll { ($0.untilMs ?? .max) <= nowMs }
        return table
    }

    /// Whether no fault is set.
    public var isEmpty: Bool { partition == nil && latency.isEmpty && loss.isEmpty }

    /// Checks the table: known version, node indices in range, disjoint groups, bounded values.
    ///
    /// - Throws: ``FaultTableError`` with the reason.
    public func validate() throws(FaultTableError) {
        guard version == Self.currentVersion else { throw FaultTableError("version \(version), this keel reads \(Self.currentVersion)") }
        guard !ports.isEmpty, ports.count <= 1024, ports.allSatisfy({ (1...65535).contains($0) }) else {
            throw FaultTableError("ports must list 1 to 1024 node ports, each 1...65535")
        }
        let nodes = 0..<ports.count
        if let partition {
            let all = partition.groups.flatMap { $0 }
            guard partition.groups.count >= 2, partition.groups.allSatisfy({ !$0.isEmpty }) else {
                throw FaultTableError("a partition has at least two non-empty groups")
            }
            guard all.allSatisfy(nodes.contains) else { throw FaultTableError("a partition names a node outside 0...\(ports.count - 1)") }
            guard Set(all).count == all.count else { throw FaultTableError("a node is in two partition groups") }
        }
        for entry in latency {
            guard nodes.contains(entry.node) else { throw FaultTableError("latency names node \(entry.node), outside 0...\(ports.count - 1)") }
            guard entry.ms <= 60_000, entry.jitterMs <= 60_000 else { throw FaultTableError("latency and jitter are at most 60000 ms") }
        }
        for entry in loss {
            guard nodes.contains(entry.node) else { throw FaultTableError("loss names node \(entry.node), outside 0...\(ports.count - 1)") }
            guard entry.p >= 0, entry.p <= 1 else { throw FaultTableError("loss p must be in 0...1, got \(entry.p)") }
        }
    }

    /// Reads and checks a fault table file.
    ///
    /// - Throws: ``FaultTableError`` naming the file and the reason.
    public static func load(path: String) throws(FaultTableError) -> FaultTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw FaultTableError("\(path): cannot read") }
        guard data.count <= byteCountMax else { throw FaultTableError("\(path): \(data.count) bytes, above \(byteCountMax)") }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let table: FaultTable
        do { table = try decoder.decode(FaultTable.self, from: data) } catch {
            throw FaultTableError("\(path): not a fault table: \(error)")
        }
        do { try table.validate() } catch { throw FaultTableError("\(path): \(error.reason)") }
        return table
    }

    /// Writes the table atomically (readers never see half a file).
    public func write(path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// Why a fault table was refused.
public struct FaultTableError: Error, Hashable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
