import Foundation
import KeelNode

/// One node as `keel testnet status` shows it: whether its process runs, and what it last
/// wrote to its status file (`keel node --status-file`).
struct NodeStatus: Encodable, Equatable {
    /// The fields of the status file this table uses.
    struct Reported: Decodable, Equatable {
        var slot: UInt64
        var headSlot: UInt64
        var headRoot: String
        var justifiedEpoch: UInt64
        var finalizedEpoch: UInt64
        var finalizedRoot: String
        var peers: Int
        var lastError: String?

        enum CodingKeys: String, CodingKey {
            case slot, peers
            case headSlot = "head_slot"
            case headRoot = "head_root"
            case justifiedEpoch = "justified_epoch"
            case finalizedEpoch = "finalized_epoch"
            case finalizedRoot = "finalized_root"
            case lastError = "last_error"
        }
    }

    var node: Int
    var running: Bool
    /// Stopped with SIGSTOP (`keel testnet pause`): the process exists but does nothing.
    var paused: Bool = false
    var pid: Int32?
    var validators: [UInt64]
    var byzantine: Bool
    /// Runs with `--prover` (serves proofs and witnesses for light nodes).
    var prover: Bool
    var p2pPort: Int
    var apiPort: Int
    /// What the status file says (nil before the node first writes it). For a stopped node it
    /// is what the node last saw.
    var reported: Reported?
    /// How long ago the status file was written, in milliseconds.
    var reportAgeMs: UInt64?

    enum CodingKeys: String, CodingKey {
        case node, running, paused, pid, validators, byzantine, prover
        case p2pPort = "p2p_port"
        case apiPort = "api_port"
        case headSlot = "head_slot"
        case headRoot = "head_root"
        case justifiedEpoch = "justified_epoch"
        case finalizedEpoch = "finalized_epoch"
        case finalizedRoot = "finalized_root"
        case peers
        case lastError = "last_error"
        case reportAgeMs = "report_age_ms"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(node, forKey: .node)
        try container.encode(running, forKey: .running)
        try container.encode(paused, forKey: .paused)
        try container.encode(pid, forKey: .pid)
        try container.encode(validators, forKey: .validators)
        try container.encode(byzantine, forKey: .byzantine)
        try container.encode(prover, forKey: .prover)
        try container.encode(p2pPort, forKey: .p2pPort)
        try container.encode(apiPort, forKey: .apiPort)
        try container.encode(reported?.headSlot, forKey: .headSlot)
        try container.encode(reported?.headRoot, forKey: .headRoot)
        try container.encode(reported?.justifiedEpoch, forKey: .justifiedEpoch)
        try container.encode(reported?.finalizedEpoch, forKey: .finalizedEpoch)
        try container.encode(reported?.finalizedRoot, forKey: .finalizedRoot)
        try container.encode(reported?.peers, forKey: .peers)
        try container.encode(reported?.lastError, forKey: .lastError)
        try container.encode(reportAgeMs, forKey: .reportAgeMs)
    }

    /// The status of every node of the testnet.
    static func all(_ processes: NodeProcesses, nowMs: UInt64) -> [NodeStatus] {
        processes.manifest.nodes.map { node in
            let file = processes.layout.statusFile(node.index)
            let reported = (try? Data(contentsOf: file)).flatMap { try? JSONDecoder().decode(Reported.self, from: $0) }
            let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
            let age = modified.map { UInt64(max(0, Double(nowMs) - $0.timeIntervalSince1970 * 1000)) }
            let pid = processes.runningPID(node.index)
            return NodeStatus(
                node: node.index, running: pid != nil, paused: pid.map(NodeProcesses.isPaused) ?? false, pid: pid,
                validators: node.validators, byzantine: node.byzantine, prover: node.prover, p2pPort: node.p2pPort,
                apiPort: node.apiPort, reported: reported, reportAgeMs: reported == nil ? nil : age)
        }
    }
}

/// The whole testnet at one moment, as printed by `status` and redrawn by `up`.
struct TestnetStatus: Encodable {
    var directory: String
    var genesisRoot: String
    var slot: UInt64
    var epoch: UInt64
    var slotMs: UInt64
    var nodes: [NodeStatus]

    enum CodingKeys: String, CodingKey {
        case directory, slot, epoch, nodes
        case genesisRoot = "genesis_root"
        case slotMs = "slot_ms"
    }

    init(_ processes: NodeProcesses, nowMs: UInt64) {
        let manifest = processes.manifest
        directory = processes.layout.directory.path
        genesisRoot = manifest.genesisRoot
        slot = manifest.clock.slot(atMs: nowMs).rawValue
        epoch = slot / manifest.slotsPerEpoch
        slotMs = manifest.slotMs
        nodes = NodeStatus.all(processes, nowMs: nowMs)
    }

    /// The lowest finalized epoch over the running nodes, with whether they all agree on the
    /// finalized root (nil when no node runs or one has not reported yet).
    var runningFinality: (epoch: UInt64, agree: Bool)? {
        let reports = nodes.filter(\.running).map(\.reported)
        guard !reports.isEmpty, reports.allSatisfy({ $0 != nil }) else { return nil }
        let finalized = reports.compactMap { $0 }
        let lowest = finalized.map(\.finalizedEpoch).min() ?? 0
        let agree = Set(finalized.map(\.finalizedEpoch)).count == 1 && Set(finalized.map(\.finalizedRoot)).count == 1
        return (lowest, agree)
    }

    /// The status as an aligned text table.
    func table() -> String {
        var lines = [
            "testnet \(directory)  genesis \(genesisRoot.prefix(12))  slot \(slot)  epoch \(epoch)  (\(slotMs) ms slots)",
        ]
        let header = ["NODE", "STATE", "PID", "VALIDATORS", "PROVER", "P2P", "API", "HEAD", "JUSTIFIED", "FINALIZED", "PEERS", "LAST ERROR"]
        var rows = [header]
        for node in nodes {
            let reported = node.reported
            var state = node.running ? (node.paused ? "paused" : node.byzantine ? "byzantine" : "running") : "stopped"
            // A running node rewrites its status twice a slot; silence for 3 slots means it is
            // stuck (or starved), and its row is old news.
            if node.running, !node.paused, let age = node.reportAgeMs, age > 3 * slotMs { state += " (silent \(age / 1_000) s)" }
            rows.append([
                "\(node.node)", state, node.pid.map { "\($0)" } ?? "-", Self.describe(node.validators), node.prover ? "yes" : "-",
                "\(node.p2pPort)", "\(node.apiPort)", reported.map { "\($0.headSlot)" } ?? "-",
                reported.map { "\($0.justifiedEpoch)" } ?? "-", reported.map { "\($0.finalizedEpoch)" } ?? "-",
                reported.map { "\($0.peers)" } ?? "-", reported?.lastError.map { String($0.prefix(60)) } ?? "",
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = row.indices.map { column in
                column == row.count - 1 ? row[column] : row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            lines.append(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
        return lines.joined(separator: "\n")
    }

    /// Validator indices compactly: "0-3", "4", "none".
    static func describe(_ validators: [UInt64]) -> String {
        guard let first = validators.first, let last = validators.last else { return "none" }
        return first == last ? "\(first)" : "\(first)-\(last)"
    }
}
