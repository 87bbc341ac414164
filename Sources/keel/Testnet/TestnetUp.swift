import ArgumentParser
import Dispatch
import Foundation
import KeelChain
import KeelNode

/// `keel testnet up`: create (or resume) a testnet in `--dir`, start its nodes, and watch them.
struct TestnetUp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start a local testnet and show a live status table until Ctrl-C, which stops every node.",
        discussion: """
            A new testnet gets a genesis file (devnet keys, slot 0 a few seconds from now), one \
            validator-keys file per node (validators split into contiguous runs) and two \
            loopback ports per node (peer-to-peer and HTTP API). Node i dials nodes 0..i-1. If \
            --dir already holds a stopped testnet, 'up' resumes it on its data (the chain goes \
            on from where it stopped); --reset replaces it.

            The table is redrawn in place on a terminal, and printed each epoch otherwise. \
            With --until-finalized E, 'up' exits 0 once every running node has finalized \
            epoch E or later on the same root (stopping the nodes unless --detach), or exits 1 \
            after --timeout seconds. With --detach alone it returns once the nodes run.

            Node 0 runs with --prover (--prover-node K picks another, --no-prover none): it \
            proves every block with the STUB proof system (a signature by the public devnet \
            prover key, proving nothing about execution) and serves proofs and witnesses, so \
            that 'keel light --node http://127.0.0.1:<its API port>' can follow the testnet.
            """)

    @Option(help: "Validators in a new testnet (default 4).")
    var validators: Int?

    @Option(help: "Node processes in a new testnet (default 4); validators are split between them.")
    var nodes: Int?

    @Option(help: "Slot length of a new testnet in milliseconds (\(GenesisFile.slotMsMin)...\(GenesisFile.slotMsMax)).")
    var slotMs: UInt64 = 1000

    @Option(help: "Slots per epoch of a new testnet.")
    var slotsPerEpoch: UInt64 = 8

    @OptionGroup var options: TestnetDirectoryOption

    @Option(help: "A node to run byzantine: slashing protection off, double proposals and double votes.")
    var byzantine: Int?

    @Option(help: "The node of a new testnet that runs with --prover (proofs and witnesses for light nodes; default 0).")
    var proverNode: Int?

    @Option(help: "The prover node's proof system in a new testnet: stub (a signature) or stark (keel-stark-v1).")
    var proofSystem: ProofSystemName = .stub

    @Flag(help: "Run no prover node in a new testnet (light nodes can then only fetch blocks, not proofs or witnesses).")
    var noProver = false

    @Option(help: "First port of a new testnet: node i listens on BASE+2i (peer-to-peer) and BASE+2i+1 (API). Default: free ports.")
    var basePort: Int?

    @Option(help: "The directory of .kasm programs deployed at genesis (default: Genesis/programs if present).")
    var programs: String?

    @Flag(help: "Delete a stopped testnet in --dir and start a new one.")
    var reset = false

    @Flag(help: "Return once the nodes run, leaving them running (stop them with 'keel testnet stop').")
    var detach = false

    @Option(help: "Exit once every running node has finalized this epoch (0 when not reached within --timeout).")
    var untilFinalized: UInt64?

    @Option(help: "Seconds --until-finalized waits before giving up (exit 1).")
    var timeout: UInt64 = 300

    /// Slot 0 starts this long after `up` (or at least two slots), so nodes run before it.
    static let genesisDelayMs: UInt64 = 2_000
    static let defaultValidatorCount = 4
    static let defaultNodeCount = 4
    static let nodeCountMax = 64
    /// Enough reveals for about 2^16 proposals per validator.
    static let randaoChainLength: UInt32 = 65_536

    func validate() throws {
        if let validators { try Keel.Genesis.checkValidatorCount(validators) }
        if let nodes, !(1...Self.nodeCountMax).contains(nodes) {
            throw ValidationError("--nodes: \(nodes) is not in 1...\(Self.nodeCountMax)")
        }
        try Keel.Genesis.checkSlots(slotMs: slotMs, slotsPerEpoch: slotsPerEpoch)
        let nodeCount = nodes ?? Self.defaultNodeCount
        if let byzantine, !(0..<nodeCount).contains(byzantine) {
            throw ValidationError("--byzantine: node \(byzantine) is not in 0...\(nodeCount - 1)")
        }
        if let proverNode {
            guard !noProver else { throw ValidationError("--prover-node and --no-prover: give at most one") }
            guard (0..<nodeCount).contains(proverNode) else {
                throw ValidationError("--prover-node: node \(proverNode) is not in 0...\(nodeCount - 1)")
            }
        }
        if let basePort, basePort < 1 || basePort + 2 * nodeCount - 1 > 65_535 {
            throw ValidationError("--base-port: \(basePort) leaves no room for \(2 * nodeCount) ports below 65536")
        }
    }

    func run() throws {
        let layout = options.layout
        let processes = try prepare(layout)
        // Ctrl-C and SIGTERM stop the nodes; the handlers run on a queue, this thread polls.
        let stop = StopRequest()
        let sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.request() }
            source.resume()
            return source
        }
        defer { withExtendedLifetime(sources) {} }
        for node in processes.manifest.nodes {
            do {
                let pid = try processes.launch(node)
                Self.note("node \(node.index): started (pid \(pid)), validators \(TestnetStatus.describe(node.validators))")
            } catch {
                processes.stop(processes.manifest.nodes.map(\.index))
                throw error
            }
        }
        if let first = processes.manifest.nodes.first {
            Self.note("explorer: http://\(processes.manifest.host):\(first.apiPort)/ui (every node serves one)")
        }
        if let prover = processes.manifest.proverNode {
            Self.note("light node: keel light --node http://\(processes.manifest.host):\(prover.apiPort)")
        }
        let watcher = TestnetWatcher(processes: processes, untilFinalized: untilFinalized, timeoutMs: timeout * 1_000)
        if detach && untilFinalized == nil {
            watcher.waitForFirstReports(stop: stop)
            print(TestnetStatus(processes, nowMs: SlotClock.systemNowMs()).table())
            print("nodes left running: 'keel testnet status --dir \(layout.directory.path)', 'keel testnet stop --dir \(layout.directory.path)'")
            return
        }
        let outcome = watcher.watch(stop: stop)
        if !(detach && outcome == .finalized) {
            Self.note("stopping the nodes")
            for node in processes.stop(processes.manifest.nodes.map(\.index)) {
                Self.note("node \(node) did not exit within 10 s of SIGTERM: killed")
            }
        }
        switch outcome {
        case .finalized, .interrupted:
            return
        case .allStopped:
            Self.note("every node has stopped")
        case .timedOut:
            throw ExitCode(1)
        }
    }

    /// Creates the testnet, or checks that the existing one may be resumed.
    private func prepare(_ layout: TestnetLayout) throws -> NodeProcesses {
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: layout.manifest.path) {
            let existing = try NodeProcesses(layout: layout, manifest: TestnetManifest.load(layout))
            let running = existing.manifest.nodes.map(\.index).filter { existing.runningPID($0) != nil }
            guard running.isEmpty else {
                throw UsageError("a testnet is running in \(layout.directory.path) (nodes \(running.map(String.init).joined(separator: ","))); 'keel testnet stop --dir \(layout.directory.path)' first")
            }
            if !reset {
                try checkResumable(existing.manifest)
                Self.note("resuming the testnet in \(layout.directory.path) (--reset starts a new one)")
                return existing
            }
            try fileManager.removeItem(at: layout.directory)
        } else if let contents = try? fileManager.contentsOfDirectory(atPath: layout.directory.path), !contents.isEmpty {
            throw UsageError("\(layout.directory.path) exists and holds no testnet; choose another --dir")
        }
        return try create(layout)
    }

    /// A resumed testnet keeps its genesis: options that would change it are refused.
    private func checkResumable(_ manifest: TestnetManifest) throws {
        if let validators, validators != manifest.validatorCount {
            throw UsageError("--validators \(validators): the testnet in --dir has \(manifest.validatorCount) (add --reset for a new one)")
        }
        if let nodes, nodes != manifest.nodes.count {
            throw UsageError("--nodes \(nodes): the testnet in --dir has \(manifest.nodes.count) (add --reset for a new one)")
        }
        if let byzantine, manifest.nodes.first(where: { $0.byzantine })?.index != byzantine {
            throw UsageError("--byzantine \(byzantine): the testnet in --dir was created otherwise (add --reset for a new one)")
        }
        if let proverNode, manifest.proverNode?.index != proverNode {
            throw UsageError("--prover-node \(proverNode): the testnet in --dir was created otherwise (add --reset for a new one)")
        }
        if noProver, manifest.proverNode != nil {
            throw UsageError("--no-prover: the testnet in --dir has a prover node (add --reset for a new one)")
        }
    }

    /// Writes the genesis file, the keys and the manifest of a new testnet.
    private func create(_ layout: TestnetLayout) throws -> NodeProcesses {
        let validatorCount = validators ?? Self.defaultValidatorCount
        let nodeCount = nodes ?? Self.defaultNodeCount
        let prover: Int? = noProver ? nil : (proverNode ?? 0)
        precondition(prover.map { (0..<nodeCount).contains($0) } ?? true, "validate() checked the prover node")
        let split = TestnetManifest.split(validatorCount: validatorCount, nodeCount: nodeCount)
        if let byzantine, split[byzantine].isEmpty {
            throw UsageError("--byzantine: node \(byzantine) runs no validator (\(validatorCount) validators on \(nodeCount) nodes)")
        }
        let ports: [Int]
        do {
            ports = try basePort.map { base in (0..<2 * nodeCount).map { base + $0 } } ?? FreePorts.take(2 * nodeCount)
        } catch { throw UsageError("\(error)") }
        var preset = Preset.devnet
        preset.slotsPerEpoch = slotsPerEpoch
        let genesisTimeMs = SlotClock.systemNowMs() + max(Self.genesisDelayMs, 2 * slotMs)
        let genesis = GenesisFile.devnet(
            validatorCount: validatorCount, stake: Stake(preset.maxEffectiveStake.rawValue), slotMs: slotMs, preset: preset,
            genesisTimeMs: genesisTimeMs, randaoChainLength: Self.randaoChainLength, programs: try Keel.Genesis.loadPrograms(programs, noteIfDefaultMissing: false))
        try FileManager.default.createDirectory(at: layout.directory, withIntermediateDirectories: true)
        do { try genesis.write(path: layout.genesis.path) } catch { throw UsageError(error.description) }
        var nodes: [TestnetManifest.Node] = []
        for index in 0..<nodeCount {
            try FileManager.default.createDirectory(at: layout.dataDirectory(index), withIntermediateDirectories: true)
            let validators = split[index].map(ValidatorIndex.init)
            if !validators.isEmpty {
                do {
                    try ValidatorKeysFile.devnet(indices: validators).write(path: layout.validatorKeys(index).path)
                } catch { throw UsageError("\(error)") }
            }
            nodes.append(TestnetManifest.Node(
                index: index, validators: split[index], p2pPort: ports[2 * index], apiPort: ports[2 * index + 1],
                byzantine: index == byzantine, peers: Array(0..<index), prover: index == prover, proofSystem: proofSystem))
        }
        let manifest = TestnetManifest(
            version: TestnetManifest.currentVersion, genesisRoot: genesis.genesisRoot.hex, genesisTimeMs: genesisTimeMs,
            slotMs: slotMs, slotsPerEpoch: slotsPerEpoch, validatorCount: validatorCount, host: "127.0.0.1", nodes: nodes)
        try manifest.write(layout)
        Self.note("new testnet in \(layout.directory.path): \(validatorCount) validators on \(nodeCount) nodes, \(slotMs) ms slots, slot 0 in \(genesisTimeMs - SlotClock.systemNowMs()) ms")
        return NodeProcesses(layout: layout, manifest: manifest)
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("keel testnet: \(message)\n".utf8))
    }
}

/// Set from a signal handler's queue, read by the polling thread.
final class StopRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    func request() { lock.withLock { requested = true } }
    var isRequested: Bool { lock.withLock { requested } }
}
