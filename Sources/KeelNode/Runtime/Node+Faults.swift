import Foundation

extension Node {
    /// How often a testnet node looks at its fault table.
    static let faultTablePollMs: UInt64 = 200

    /// Re-reads the fault table whenever the file changes, until cancelled: a new table is
    /// applied at once, logged, and published as a `fault` event; an unreadable one is logged
    /// and the previous table stays.
    func watchFaultTable(path: String, faults: LinkFaults) async {
        var lastStamp = Self.stamp(path)
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Self.faultTablePollMs))
            let stamp = Self.stamp(path)
            guard stamp != lastStamp else { continue }
            lastStamp = stamp
            do {
                let table = try FaultTable.load(path: path)
                guard table != faults.table else { continue }
                guard faults.node < table.ports.count else {
                    logProblem(.warning, "fault table no longer lists this node; keeping the previous one", metadata: ["node": "\(faults.node)"])
                    continue
                }
                faults.update(table)
                let summary = FaultSummary(table, node: faults.node)
                logger.info("fault table changed", metadata: ["faults": "\(summary.text)"])
                events.publish(ServerSentEvent(event: "fault", data: APIJSON.compactJSON(summary)))
            } catch {
                logProblem(.warning, "fault table unreadable; keeping the previous one", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The file's modification time and size, to notice a rewrite.
    private static func stamp(_ path: String) -> [Int] {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return [] }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return [Int(modified * 1_000_000), (attributes[.size] as? NSNumber)?.intValue ?? 0]
    }
}

/// A `fault` event's data: the faults in force, as this node sees them.
struct FaultSummary: Encodable {
    var node: Int
    var partition: [[Int]]?
    var latency: [FaultTable.Latency]
    var loss: [FaultTable.Loss]

    init(_ table: FaultTable, node: Int) {
        self.node = node
        partition = table.partition?.groups
        latency = table.latency
        loss = table.loss
    }

    /// One line for the log.
    var text: String {
        var parts: [String] = []
        if let partition { parts.append("partition " + partition.map { $0.map(String.init).joined(separator: ",") }.joined(separator: "/")) }
        parts += latency.map { "latency node \($0.node) \($0.ms)±\($0.jitterMs) ms" }
        parts += loss.map { "loss node \($0.node) p=\($0.p)" }
        return parts.isEmpty ? "none" : parts.joined(separator: "; ")
    }
}
