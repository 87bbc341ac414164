import ArgumentParser
import Foundation
import KeelNode

/// `keel testnet fault ...`: faults on the live testnet's links, applied by every node's fault
/// layer from `faults.json` within a fraction of a second (no privileges needed).
struct TestnetFault: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault",
        abstract: "Inject faults into the running testnet's links: partition, latency, loss; heal; list.",
        discussion: """
            Every node of the testnet watches DIR/faults.json and applies it to what it sends: a partition \
            drops messages between groups, latency delays them (keeping each link's order), loss drops each \
            with a probability. Choices are seeded per link, so a run with the same faults repeats. \
            --for ends a fault by itself after the duration (e.g. 30s, 500ms, 2m).
            """,
        subcommands: [FaultPartition.self, FaultLatency.self, FaultLoss.self, FaultHeal.self, FaultList.self])
}

/// A duration on the command line: `30s`, `500ms`, `2m`, or plain seconds.
struct FaultDuration: ExpressibleByArgument {
    var milliseconds: UInt64

    init?(argument: String) {
        let units: [(String, UInt64)] = [("ms", 1), ("s", 1_000), ("m", 60_000)]
        for (suffix, scale) in units where argument.hasSuffix(suffix) {
            guard let value = UInt64(argument.dropLast(suffix.count)), value > 0, value <= 86_400_000 / scale else { return nil }
            milliseconds = value * scale
            return
        }
        guard let seconds = UInt64(argument), seconds > 0, seconds <= 86_400 else { return nil }
        milliseconds = seconds * 1_000
    }
}

/// Reads, changes and writes a testnet's fault table.
struct FaultTableEditor {
    let processes: NodeProcesses

    init(options: TestnetDirectoryOption) throws {
        processes = try options.processes()
        try processes.ensureFaultTable()
    }

    var nodeCount: Int { processes.manifest.nodes.count }

    func checkNode(_ node: Int) throws {
        guard (0..<nodeCount).contains(node) else { throw UsageError("no node \(node) in this testnet (nodes 0...\(nodeCount - 1))") }
    }

    /// Applies `change` to the table in force (expired faults dropped) and writes it.
    func edit(_ change: (inout FaultTable) throws -> Void) throws -> FaultTable {
        let path = processes.layout.faultTable.path
        var table: FaultTable
        do { table = try FaultTable.load(path: path).active(atMs: SlotClock.systemNowMs()) } catch { throw UsageError("\(error)") }
        try change(&table)
        do { try table.validate() } catch { throw UsageError("\(error)") }
        do { try table.write(path: path) } catch { throw UsageError("cannot write \(path): \(error)") }
        return table
    }

    static func until(_ duration: FaultDuration?) -> UInt64? { duration.map { SlotClock.systemNowMs() + $0.milliseconds } }

    static func describe(_ table: FaultTable, nowMs: UInt64 = SlotClock.systemNowMs()) -> [String] {
        func left(_ until: UInt64?) -> String { until.map { " (\(($0 > nowMs ? $0 - nowMs : 0) / 1_000) s left)" } ?? "" }
        var lines: [String] = []
        if let partition = table.partition {
            lines.append("partition " + partition.groups.map { $0.map(String.init).joined(separator: ",") }.joined(separator: "/") + left(partition.untilMs))
        }
        lines += table.latency.map { "latency node \($0.node): \($0.ms) ms ± \($0.jitterMs) ms" + left($0.untilMs) }
        lines += table.loss.map { "loss node \($0.node): p = \($0.p)" + left($0.untilMs) }
        return lines.isEmpty ? ["no faults"] : lines
    }
}

struct FaultPartition: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partition", abstract: "Split the nodes into groups that cannot reach each other, e.g. 0,1/2,3.")

    @OptionGroup var options: TestnetDirectoryOption

    @Argument(help: "The groups: node indices separated by commas, groups by slashes (0,1/2,3). Nodes left out are cut off from all.")
    var groups: String

    @Option(name: .customLong("for"), help: "End the partition by itself after this long (30s, 500ms, 2m).")
    var duration: FaultDuration?

    func parsedGroups() throws -> [[Int]] {
        try groups.split(separator: "/", omittingEmptySubsequences: false).map { group in
            try group.split(separator: ",", omittingEmptySubsequences: false).map { text in
                guard let node = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("'\(groups)': expected node indices like 0,1/2,3")
                }
                return node
            }
        }
    }

    func validate() throws {
        guard try parsedGroups().count >= 2 else { throw ValidationError("a partition has at least two groups, e.g. 0,1/2,3") }
    }

    func run() throws {
        let editor = try FaultTableEditor(options: options)
        let groups = try parsedGroups()
        for node in groups.joined() { try editor.checkNode(node) }
        let table = try editor.edit { $0.partition = FaultTable.Partition(groups: groups, untilMs: FaultTableEditor.until(duration)) }
        for line in FaultTableEditor.describe(table) { print(line) }
    }
}

struct FaultLatency: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency", abstract: "Delay every message to and from a node.")

    @OptionGroup var options: TestnetDirectoryOption
    @OptionGroup var target: TestnetNodeArgument

    @Option(help: "The added delay, in milliseconds.")
    var ms: UInt64

    @Option(help: "A uniform jitter of up to this many milliseconds either way.")
    var jitter: UInt64 = 0

    @Option(name: .customLong("for"), help: "End it by itself after this long.")
    var duration: FaultDuration?

    func validate() throws {
        guard ms <= 60_000, jitter <= 60_000 else { throw ValidationError("--ms and --jitter are at most 60000") }
    }

    func run() throws {
        let editor = try FaultTableEditor(options: options)
        try editor.checkNode(target.node)
        let table = try editor.edit { table in
            table.latency.removeAll { $0.node == target.node }
            table.latency.append(FaultTable.Latency(node: target.node, ms: ms, jitterMs: jitter, untilMs: FaultTableEditor.until(duration)))
        }
        for line in FaultTableEditor.describe(table) { print(line) }
    }
}

struct FaultLoss: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loss", abstract: "Drop each message to and from a node with a probability.")

    @OptionGroup var options: TestnetDirectoryOption
    @OptionGroup var target: TestnetNodeArgument

    @Option(help: "The probability of losing each message, 0...1 (0.1 is 10%).")
    var p: Double

    @Option(name: .customLong("for"), help: "End it by itself after this long.")
    var duration: FaultDuration?

    func validate() throws {
        guard p >= 0, p <= 1 else { throw ValidationError("--p must be in 0...1") }
    }

    func run() throws {
        let editor = try FaultTableEditor(options: options)
        try editor.checkNode(target.node)
        let table = try editor.edit { table in
            table.loss.removeAll { $0.node == target.node }
            table.loss.append(FaultTable.Loss(node: target.node, p: p, untilMs: FaultTableEditor.until(duration)))
        }
        for line in FaultTableEditor.describe(table) { print(line) }
    }
}

struct FaultHeal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heal", abstract: "Remove every fault, or those of one node (its latency, its loss, and a partition it is in).")

    @OptionGroup var options: TestnetDirectoryOption

    @Argument(help: "The node to heal (default: all).")
    var node: Int?

    func run() throws {
        let editor = try FaultTableEditor(options: options)
        if let node { try editor.checkNode(node) }
        let table = try editor.edit { table in
            guard let node else {
                table.partition = nil
                table.latency = []
                table.loss = []
                return
            }
            table.latency.removeAll { $0.node == node }
            table.loss.removeAll { $0.node == node }
            // Every node is on one side or cut off: healing one heals the partition.
            table.partition = nil
        }
        for line in FaultTableEditor.describe(table) { print(line) }
    }
}

struct FaultList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the faults in force.")

    @OptionGroup var options: TestnetDirectoryOption

    func run() throws {
        let editor = try FaultTableEditor(options: options)
        let path = editor.processes.layout.faultTable.path
        let table: FaultTable
        do { table = try FaultTable.load(path: path).active(atMs: SlotClock.systemNowMs()) } catch { throw UsageError("\(error)") }
        for line in FaultTableEditor.describe(table) { print(line) }
    }
}

/// `keel testnet pause NODE [--for DURATION]`: SIGSTOP, so peers see a hung node.
struct TestnetPause: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Freeze a node (SIGSTOP): its peers see a hung node. With --for, resume it after that long (waiting here).")

    @OptionGroup var options: TestnetDirectoryOption
    @OptionGroup var target: TestnetNodeArgument

    @Option(name: .customLong("for"), help: "Resume it after this long (30s, 500ms, 2m); this command waits.")
    var duration: FaultDuration?

    func run() throws {
        let processes = try options.processes()
        _ = try processes.manifest.node(target.node)
        guard processes.send(SIGSTOP, to: target.node) else { throw UsageError("node \(target.node) is not running") }
        guard let duration else {
            print("node \(target.node): paused ('keel testnet resume \(target.node)' resumes it)")
            return
        }
        print("node \(target.node): paused for \(duration.milliseconds) ms")
        Thread.sleep(forTimeInterval: Double(duration.milliseconds) / 1_000)
        processes.send(SIGCONT, to: target.node)
        print("node \(target.node): resumed")
    }
}

/// `keel testnet resume NODE`: SIGCONT.
struct TestnetResume: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused node (SIGCONT); it catches up from its peers.")

    @OptionGroup var options: TestnetDirectoryOption
    @OptionGroup var target: TestnetNodeArgument

    func run() throws {
        let processes = try options.processes()
        _ = try processes.manifest.node(target.node)
        guard processes.send(SIGCONT, to: target.node) else { throw UsageError("node \(target.node) is not running") }
        print("node \(target.node): resumed")
    }
}
