import ArgumentParser
import Dispatch
import Foundation
import KeelChain
import KeelCrypto
import KeelNode

extension Keel {
    /// `keel node`: runs one node (and optionally its validators) until SIGINT or SIGTERM.
    struct Node: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "node",
            abstract: "Run a node: peer-to-peer, fork choice, storage and (optionally) validators.",
            discussion: """
                Logs go to standard error, one line per imported block and per finality change. \
                With --status-file the node rewrites that file (atomically) twice a slot with one \
                JSON object: slot, head_slot, head_root, justified_epoch, finalized_epoch, \
                finalized_root, peers, port, api_port (null without --api), validators (how many \
                this node runs) and last_error (the last warning or error logged, or null). \
                Validators come from --validators (devnet keys) or --validator-keys (a keys file, \
                checked against the genesis file before the node starts), not both. SIGINT or \
                SIGTERM shut the node and its API down cleanly; a restart with the same \
                --data-dir resumes from the last finalized state.

                With --prover the node proves every block it imports (its own and its peers') \
                after importing it, stores the proof, the block witness and the post-state's \
                registry proof, and serves them at /blocks/{id}/proof, /blocks/{id}/witness and \
                /blocks/{id}/registry (with --api), for 'keel light'. The proof system is a STUB: \
                a proof is the prover's Schnorr signature over the transition claim and proves \
                nothing about execution, only who vouches for it. The key (--prover-key-file, \
                else the public devnet prover key) must be the one the genesis file names.
                """)

        @Option(help: "The genesis file (from 'keel genesis').")
        var genesis: String

        @Option(help: "The data directory (chain and slashing-protection databases); created if missing.")
        var dataDir: String

        @Option(help: "The address to listen on, as HOST:PORT (port 0 picks a free port).")
        var listen: String

        @Option(help: "Peers to dial, as HOST:PORT,HOST:PORT,...")
        var peers: String?

        @Option(help: "Devnet validator indices to run, as 0,1,... (keys are the deterministic devnet keys).")
        var validators: String?

        @Option(help: ArgumentHelp(
            "A validator keys file to run the validators of (JSON: version 1, keys: index and secret_key).",
            discussion: "Each key must be the genesis validator's at its index. Not with --validators.",
            valueName: "file"))
        var validatorKeys: String?

        @Option(help: "Serve the HTTP API and /metrics on HOST:PORT (port 0 picks a free port; the log names it).")
        var api: String?

        @Flag(help: "Misbehave: bypass slashing protection, double-propose and double-vote (devnets only).")
        var byzantine = false

        @Option(help: "Unix time of slot 0 in milliseconds, overriding the genesis file's (required when that is 0, a template).")
        var genesisTimeMs: UInt64?

        @Option(help: "A file to rewrite each slot with the node's status as JSON.")
        var statusFile: String?

        @Option(help: "Finalized history to keep in the chain database, in epochs below the finalized checkpoint (older blocks, states and proofs are pruned).")
        var historyEpochs: UInt64 = 16

        @Flag(help: "Prove every imported block (with --proof-system: the STUB by default, a signature proving nothing about execution; or keel-stark-v1) and serve proofs and witnesses over the API.")
        var prover = false

        @Option(help: "With --prover: the proof system, stub (a signature, proving nothing about execution) or stark (keel-stark-v1: a STARK of every VM call).")
        var proofSystem: ProofSystemName = .stub

        @Option(help: ArgumentHelp(
            "With --prover: the prover's secret key file, JSON {\"prover_secret_key\": \"<64 hex digits>\"} (default: the public devnet prover key).",
            valueName: "file"))
        var proverKeyFile: String?

        @Option(help: ArgumentHelp(
            "A testnet's fault table (faults.json, written by 'keel testnet fault'); the node watches it and drops or delays what it sends as it says. Needs --testnet-node.",
            valueName: "file"))
        var faultTable: String?

        @Option(help: "With --fault-table: this node's index in the testnet.")
        var testnetNode: Int?

        @Option(help: "The API addresses of every node of the testnet, as http://HOST:PORT,... (shown by the explorer at /ui).")
        var testnetApis: String?

        func validate() throws {
            if (faultTable == nil) != (testnetNode == nil) { throw ValidationError("--fault-table and --testnet-node go together") }
            if let testnetNode, testnetNode < 0 { throw ValidationError("--testnet-node: \(testnetNode) is negative") }
            _ = try Self.parseAddress(listen, option: "--listen", allowZeroPort: true)
            _ = try parsedPeers()
            _ = try parsedValidators()
            if let api { _ = try Self.parseAddress(api, option: "--api", allowZeroPort: true) }
            if validators != nil && validatorKeys != nil {
                throw ValidationError("--validators and --validator-keys are mutually exclusive: give one")
            }
            if let genesisTimeMs, genesisTimeMs > GenesisFile.genesisTimeMsMax {
                throw ValidationError("--genesis-time-ms must be at most \(GenesisFile.genesisTimeMsMax) (the year 9999), got \(genesisTimeMs)")
            }
            guard historyEpochs >= 1 && historyEpochs <= 1_000_000 else {
                throw ValidationError("--history-epochs must be 1...1000000")
            }
            if proverKeyFile != nil && !prover {
                throw ValidationError("--prover-key-file needs --prover")
            }
            if proofSystem != .stub && !prover {
                throw ValidationError("--proof-system needs --prover")
            }
        }

        static func parseAddress(_ text: String, option: String, allowZeroPort: Bool) throws -> (host: String, port: Int) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                port >= (allowZeroPort ? 0 : 1), port <= 65_535, colon != text.startIndex
            else { throw ValidationError("\(option): expected HOST:PORT, got '\(text)'") }
            return (String(text[..<colon]), port)
        }

        private func parsedPeers() throws -> [PeerAddress] {
            guard let peers else { return [] }
            return try peers.split(separator: ",").map {
                let (host, port) = try Self.parseAddress(String($0), option: "--peers", allowZeroPort: false)
                return PeerAddress(host: host, port: port)
            }
        }

        private func parsedValidators() throws -> [ValidatorIndex] {
            guard let validators else { return [] }
            let indices = try validators.split(separator: ",").map {
                guard let index = UInt64($0) else { throw ValidationError("--validators: '\($0)' is not an index") }
                return ValidatorIndex(index)
            }
            guard Set(indices).count == indices.count else { throw ValidationError("--validators: an index is repeated") }
            return indices
        }

        func run() throws {
            let file: GenesisFile
            do { file = try GenesisFile.load(path: genesis) } catch { throw UsageError("--genesis: \(error)") }
            let indices = try parsedValidators()
            if let bad = indices.first(where: { $0.rawValue >= UInt64(file.validators.count) }) {
                throw UsageError("--validators: \(bad) is not a validator of this genesis (\(file.validators.count) validators)")
            }
            var config = NodeConfig(genesis: file, dataDirectory: dataDir)
            let (host, port) = try Self.parseAddress(listen, option: "--listen", allowZeroPort: true)
            config.listenHost = host
            config.listenPort = port
            config.peers = try parsedPeers()
            config.validatorIndices = indices
            if let validatorKeys { config.validatorKeys = try loadValidatorKeys(validatorKeys, genesis: file) }
            config.byzantine = byzantine
            config.statusFilePath = statusFile
            config.finalizedHistoryEpochs = historyEpochs
            if prover { config.proverSecretKey = try loadProverKey(genesis: file) }
            config.proofSystem = proofSystem.nodeProofSystem
            if let faultTable, let testnetNode { config.faultTable = (faultTable, testnetNode) }
            config.testnetAPIs = testnetApis.map { $0.split(separator: ",").map(String.init) } ?? []
            if let genesisTimeMs { config.genesisTimeMs = genesisTimeMs }
            // A devnet template's time 0 means "set when the devnet starts"; run as is, the node
            // would tick through billions of slots since 1970 before doing anything.
            guard config.genesisTimeMs > 0 else {
                throw UsageError("--genesis: the genesis time is 0 (a devnet template): pass --genesis-time-ms")
            }
            try NodeRunner.run(config, api: try api.map { try Self.parseAddress($0, option: "--api", allowZeroPort: true) })
        }

        /// The prover's key (from --prover-key-file, else the devnet prover's), checked against
        /// the prover the genesis file names.
        private func loadProverKey(genesis: GenesisFile) throws -> SecretKey {
            let key: SecretKey
            if let proverKeyFile {
                do { key = try ProverKeyFile.load(path: proverKeyFile) } catch { throw UsageError("--prover-key-file: \(error)") }
            } else {
                key = DevnetKeys.proverSecretKey
            }
            do { try NodeProver.check(secretKey: key, genesis: genesis) } catch {
                let source = proverKeyFile ?? "the devnet prover key (no --prover-key-file)"
                throw UsageError("--prover: cannot prove with \(source): \(error)")
            }
            return key
        }

        /// Loads the keys file and checks it against the genesis file, as a usage error naming
        /// the file, the entry and the reason.
        private func loadValidatorKeys(_ path: String, genesis: GenesisFile) throws -> [ValidatorIndex: SecretKey] {
            do {
                let file = try ValidatorKeysFile.load(path: path)
                try file.validate(against: genesis)
                return file.keys
            } catch {
                var located = error
                located.path = path
                throw UsageError("--validator-keys: \(located)")
            }
        }
    }
}

/// Runs a node (and its HTTP API, if asked) from the synchronous command: starts them on the
/// concurrency pool, then blocks until a signal (SIGINT, SIGTERM) has shut both down.
enum NodeRunner {
    private final class Box: @unchecked Sendable {
        // Written before `done` is signalled, read after.
        var error: (any Error)?
    }

    /// Runs `config` until SIGINT or SIGTERM.
    ///
    /// - Parameters:
    ///   - config: The node to run.
    ///   - api: Where to serve the HTTP API, or nil for none.
    /// - Throws: `UsageError` when the node or the API cannot start (for example an address in
    ///   use); a signal is a clean stop, not an error.
    static func run(_ config: NodeConfig, api: (host: String, port: Int)? = nil) throws {
        let node = try KeelNode.Node(config: config)
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        Task {
            do {
                try await node.start()
            } catch {
                box.error = UsageError("cannot start the node: \(error)")
                await node.shutdown()
                done.signal()
                return
            }
            var apiTask: Task<Void, Never>?
            if let api {
                switch await startAPI(on: api, node: node) {
                case let .success(task):
                    apiTask = task
                case let .failure(error):
                    box.error = error
                    await node.shutdown()
                    done.signal()
                    return
                }
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    stop.wait()
                    continuation.resume()
                }
            }
            // The API first, so that no request reads a node that is closing its databases.
            apiTask?.cancel()
            await apiTask?.value
            await node.shutdown()
            done.signal()
        }
        done.wait()
        withExtendedLifetime(sources) {}
        if let error = box.error { throw error }
    }

    /// Starts the API server over `node` and waits until it listens or has failed to.
    ///
    /// - Returns: The server's task (cancel it to stop the server), or the usage error to exit
    ///   with when the address cannot be bound.
    private static func startAPI(
        on address: (host: String, port: Int), node: KeelNode.Node
    ) async -> Result<Task<Void, Never>, UsageError> {
        let server = APIServer(host: address.host, port: address.port, view: NodeChainView(node: node), metrics: node.metrics)
        let (outcomes, continuation) = AsyncStream.makeStream(of: Result<Int, UsageError>.self)
        let task = Task {
            do {
                try await server.run { port in continuation.yield(.success(port)) }
            } catch {
                continuation.yield(.failure(UsageError("cannot serve the API on \(address.host):\(address.port): \(error)")))
            }
            continuation.finish()
        }
        var iterator = outcomes.makeAsyncIterator()
        switch await iterator.next() {
        case let .success(port):
            await node.apiStarted(host: address.host, port: port)
            return .success(task)
        case let .failure(error):
            return .failure(error)
        case nil:
            return .failure(UsageError("cannot serve the API on \(address.host):\(address.port): the server stopped at once"))
        }
    }
}
