import ArgumentParser
import Foundation
import KeelNode

extension Keel {
    /// `keel testnet`: a local multi-node testnet of `keel node` processes on loopback.
    struct Testnet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "testnet",
            abstract: "Run a local testnet: N validators on K `keel node` processes on loopback.",
            discussion: """
                'up' writes a genesis file and validator keys into --dir, starts the nodes and \
                shows a live status table until Ctrl-C, which stops them all. From another \
                terminal, 'status', 'stop', 'kill', 'restart' and 'logs' act on the same \
                directory's nodes. Files: DIR/testnet.json (ports, validators), DIR/genesis.json, \
                and per node DIR/nodeI/{data/, validator-keys.json, status.json, node.log, pid}.
                """,
            subcommands: [
                TestnetUp.self, TestnetStatusCommand.self, TestnetStop.self, TestnetKill.self, TestnetRestart.self, TestnetLogs.self,
                TestnetEvents.self, TestnetFault.self, TestnetPause.self, TestnetResume.self,
            ])
    }
}

/// The `--dir` option every testnet command shares.
struct TestnetDirectoryOption: ParsableArguments {
    /// The default directory, relative to the current one (ignored by git).
    static let defaultDirectory = "devnet"

    @Option(help: "The testnet's directory.")
    var dir: String = TestnetDirectoryOption.defaultDirectory

    var layout: TestnetLayout { TestnetLayout(directory: dir) }

    /// The manifest and the processes of the testnet in `--dir`.
    func processes() throws -> NodeProcesses {
        let layout = self.layout
        return NodeProcesses(layout: layout, manifest: try TestnetManifest.load(layout))
    }
}

/// A node argument, checked against the manifest when the command runs.
struct TestnetNodeArgument: ParsableArguments {
    @Argument(help: "The node's index (0 is the first; see 'keel testnet status').")
    var node: Int
}

/// `keel testnet status`: the table, or JSON.
struct TestnetStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each node's state, head, justified and finalized epoch, peers and last error.",
        discussion: """
            --json prints one object: directory, genesis_root, slot, epoch, slot_ms and nodes, \
            each with node, running, pid, validators, byzantine, prover, p2p_port, api_port, head_slot, \
            head_root, justified_epoch, finalized_epoch, finalized_root, peers, last_error and \
            report_age_ms (null where the node has not reported).
            """)

    @OptionGroup var options: TestnetDirectoryOption

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let status = TestnetStatus(try options.processes(), nowMs: SlotClock.systemNowMs())
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            print(status.table())
        }
    }
}

/// `keel testnet stop [NODE...]`: a clean shutdown.
struct TestnetStop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop",
        abstract: "Stop the testnet's nodes (or only the given ones) cleanly: SIGTERM, then SIGKILL after 10 s.")

    @OptionGroup var options: TestnetDirectoryOption

    @Argument(help: "Node indices to stop (default: all).")
    var nodes: [Int] = []

    func run() throws {
        let processes = try options.processes()
        for node in nodes { _ = try processes.manifest.node(node) }
        let targets = nodes.isEmpty ? processes.manifest.nodes.map(\.index) : nodes
        let running = targets.filter { processes.runningPID($0) != nil }
        let killed = processes.stop(running)
        for node in running {
            print("node \(node): " + (killed.contains(node) ? "killed (did not exit within 10 s of SIGTERM)" : "stopped"))
        }
        if running.isEmpty { print("no node was running") }
    }
}

/// `keel testnet kill NODE`: a crash, to test recovery.
struct TestnetKill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "Kill a node with SIGKILL (a crash: no shutdown code runs); 'restart' brings it back.")

    @OptionGroup var options: TestnetDirectoryOption
    @OptionGroup var target: TestnetNodeArgument

    func run() throws {
        let processes = try options.processes()
        _ = try processes.manifest.node(target.node)
        guard let pid = processes.runningPID(target.node) else { throw UsageError("node \(target.node) is not running") }
        kill(pid, SIGKILL)
        processes.waitUntilStopped([target.node], timeoutMs: 5_000)
        print("node \(target.node): killed (pid \(pid))")
    }
}

/// `keel testnet restart NODE`: stop (if running) and start again on the same data.
struct TestnetRestart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restart",
        abstract: "Restart a node on its data directory (stopping it first if it runs); it catches up from its peers.")

    @OptionGroup var options: TestnetDirectoryOption
    @OptionGroup var target: TestnetNodeArgument

    func run() throws {
        let processes = try options.processes()
        let node = try processes.manifest.node(target.node)
        if processes.runningPID(node.index) != nil { processes.stop([node.index]) }
        let pid = try processes.launch(node)
        print("node \(node.index): started (pid \(pid)), log \(processes.layout.logFile(node.index).path)")
    }
}

/// `keel testnet logs NODE`: the node's log.
struct TestnetLogs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a node's log (the last --lines lines), and with --follow keep printing as it grows.")

    @OptionGroup var options: TestnetDirectoryOption
    @OptionGroup var target: TestnetNodeArgument

    @Option(help: "Lines to print from the end (0: the whole log).")
    var lines: Int = 50

    @Flag(help: "Keep printing new lines until interrupted.")
    var follow = false

    func validate() throws {
        guard lines >= 0 else { throw ValidationError("--lines: \(lines) is negative") }
    }

    func run() throws {
        let processes = try options.processes()
        _ = try processes.manifest.node(target.node)
        let path = processes.layout.logFile(target.node).path
        guard let handle = FileHandle(forReadingAtPath: path) else { throw UsageError("node \(target.node) has no log yet (\(path))") }
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        let shown = lines == 0 ? all[...] : all.suffix(lines + (text.hasSuffix("\n") ? 1 : 0))
        FileHandle.standardOutput.write(Data(shown.joined(separator: "\n").utf8))
        guard follow else { return }
        while true {
            let data = handle.availableData
            if data.isEmpty { usleep(200_000) } else { FileHandle.standardOutput.write(data) }
        }
    }
}
