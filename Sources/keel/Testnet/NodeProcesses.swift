import Foundation
import KeelNode

/// Starting, finding and signalling a testnet's `keel node` processes.
///
/// Nodes are spawned in a process group of their own, so that Ctrl-C in the terminal reaches
/// only `keel testnet up` (which then stops them in order) and a node restarted from another
/// terminal outlives it. A node is identified by the pid in its pid file, checked against
/// `/proc/PID/cmdline` so that a reused pid is never mistaken for (or signalled as) the node.
struct NodeProcesses {
    let layout: TestnetLayout
    let manifest: TestnetManifest

    /// How long a stop waits for a node to exit after SIGTERM before sending SIGKILL.
    static let stopGraceMs: UInt64 = 10_000

    /// The `keel node` arguments of `node`.
    func arguments(_ node: TestnetManifest.Node) -> [String] {
        var arguments = [
            "node", "--genesis", layout.genesis.path, "--data-dir", layout.dataDirectory(node.index).path,
            "--listen", "\(manifest.host):\(node.p2pPort)", "--api", "\(manifest.host):\(node.apiPort)",
            "--status-file", layout.statusFile(node.index).path,
        ]
        if !node.validators.isEmpty { arguments += ["--validator-keys", layout.validatorKeys(node.index).path] }
        let peers = node.peers.compactMap { peer in manifest.nodes.first { $0.index == peer } }
        if !peers.isEmpty { arguments += ["--peers", peers.map { "\(manifest.host):\($0.p2pPort)" }.joined(separator: ",")] }
        if node.byzantine { arguments.append("--byzantine") }
        // The genesis names the devnet prover key, which `--prover` uses by default.
        if node.prover { arguments += ["--prover", "--proof-system", node.proofSystem.rawValue] }
        arguments += ["--fault-table", layout.faultTable.path, "--testnet-node", String(node.index)]
        let apis = manifest.nodes.sorted { $0.index < $1.index }.map { "http://\(manifest.host):\($0.apiPort)" }
        arguments += ["--testnet-apis", apis.joined(separator: ",")]
        return arguments
    }

    /// Spawns `node` with this executable, its output appended to its log; writes its pid file.
    ///
    /// - Returns: The pid.
    @discardableResult
    func launch(_ node: TestnetManifest.Node) throws -> pid_t {
        try ensureFaultTable()
        let executable = try Self.currentExecutable()
        let log = layout.logFile(node.index).path
        let arguments = [executable] + arguments(node)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else: descriptors this process inherited or opened without close-on-exec
        // (Foundation's Process hands its children a socket whose closing signals their exit)
        // must not outlive it in the nodes.
        // (posix_spawn_file_actions_addclosefrom_np is not visible from Swift; glibc ignores a
        // close of a descriptor that is not open, so the list may be slightly stale.)
        for descriptor in Self.openDescriptors() where descriptor > 2 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new process group; default dispositions and an empty mask (this process ignores
        // SIGINT and SIGTERM to handle them itself, and ignored signals survive exec).
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signalNumber in [SIGINT, SIGTERM, SIGPIPE, SIGHUP] { sigaddset(&defaults, signalNumber) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var pid: pid_t = 0
        let cArguments = arguments.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        let result = posix_spawn(&pid, executable, &actions, &attributes, cArguments, environ)
        guard result == 0 else {
            throw UsageError("cannot start node \(node.index): \(String(cString: strerror(result)))")
        }
        try Data("\(pid)\n".utf8).write(to: layout.pidFile(node.index), options: .atomic)
        return pid
    }

    /// Writes an empty fault table if the testnet has none (a new testnet, or one made before
    /// fault injection), seeded from the genesis root so that runs of one testnet repeat.
    func ensureFaultTable() throws {
        guard !FileManager.default.fileExists(atPath: layout.faultTable.path) else { return }
        let seed = UInt64(manifest.genesisRoot.prefix(16), radix: 16) ?? 0
        let ports = manifest.nodes.sorted { $0.index < $1.index }.map(\.p2pPort)
        do { try FaultTable(seed: seed, ports: ports).write(path: layout.faultTable.path) } catch {
            throw UsageError("cannot write \(layout.faultTable.path): \(error)")
        }
    }

    /// This process's open file descriptors, from `/proc/self/fd`.
    static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    /// The pid of `node` if it is running (a live, non-zombie process of this node).
    func runningPID(_ node: Int) -> pid_t? {
        guard let text = try? String(contentsOf: layout.pidFile(node), encoding: .utf8),
            let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0
        else { return nil }
        return Self.isAlive(pid, dataDirectory: layout.dataDirectory(node).path) ? pid : nil
    }

    /// Whether `pid` is a running (not zombie) `keel node` on `dataDirectory`.
    static func isAlive(_ pid: pid_t, dataDirectory: String) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        // The state letter follows ") ": Z is a zombie (exited, not yet reaped), X dead.
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        guard state != "Z" && state != "X" else { return false }
        guard let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let words = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return words.contains("node") && words.contains(dataDirectory)
    }

    /// Whether `pid` is stopped by a signal (SIGSTOP: state `T` in `/proc/PID/stat`).
    static func isPaused(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
            return false
        }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first == "T"
    }

    /// Sends `signal` to `node` if it runs. Returns whether it was running.
    @discardableResult
    func send(_ signalNumber: Int32, to node: Int) -> Bool {
        guard let pid = runningPID(node) else { return false }
        return kill(pid, signalNumber) == 0
    }

    /// Stops the given nodes: SIGTERM, up to ``stopGraceMs`` for them to exit, then SIGKILL.
    ///
    /// - Returns: The nodes that had to be killed.
    @discardableResult
    func stop(_ nodes: [Int]) -> [Int] {
        let running = nodes.filter { send(SIGTERM, to: $0) }
        // A paused node (SIGSTOP) handles SIGTERM only once it runs again.
        for node in running { send(SIGCONT, to: node) }
        waitUntilStopped(running, timeoutMs: Self.stopGraceMs)
        let stubborn = running.filter { runningPID($0) != nil }
        for node in stubborn { send(SIGKILL, to: node) }
        waitUntilStopped(stubborn, timeoutMs: 5_000)
        return stubborn
    }

    /// Polls until none of `nodes` runs, or `timeoutMs` passes.
    func waitUntilStopped(_ nodes: [Int], timeoutMs: UInt64) {
        let deadline = SlotClock.systemNowMs() + timeoutMs
        while SlotClock.systemNowMs() < deadline, nodes.contains(where: { runningPID($0) != nil }) {
            Self.reapChildren()
            usleep(20_000)
        }
    }

    /// Collects the exit status of any node this process spawned that has exited, so it does
    /// not linger as a zombie.
    static func reapChildren() {
        var status: Int32 = 0
        while waitpid(-1, &status, WNOHANG) > 0 {}
    }

    /// The absolute path of the running `keel` executable.
    static func currentExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { throw UsageError("cannot find the keel executable (/proc/self/exe)") }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
