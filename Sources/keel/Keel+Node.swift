import ArgumentParser
import Dispatch
import Foundation
import KeelChain
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
                finalized_root, peers, port. SIGINT or SIGTERM shut it down cleanly; a restart \
                with the same --data-dir resumes from the last finalized state.
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

        @Flag(help: "Misbehave: bypass slashing protection, double-propose and double-vote (devnets only).")
        var byzantine = false

        @Option(help: "Unix time of slot 0 in milliseconds, overriding the genesis file's.")
        var genesisTimeMs: UInt64?

        @Option(help: "A file to rewrite each slot with the node's status as JSON.")
        var statusFile: String?

        func validate() throws {
            _ = try Self.parseAddress(listen, option: "--listen", allowZeroPort: true)
            _ = try parsedPeers()
            _ = try parsedValidators()
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
            config.byzantine = byzantine
            config.statusFilePath = statusFile
            if let genesisTimeMs { config.genesisTimeMs = genesisTimeMs }
            try NodeRunner.run(config)
        }
    }
}

/// Runs a node from the synchronous command: starts it on the concurrency pool, then blocks
/// until a signal (SIGINT, SIGTERM) has shut it down.
enum NodeRunner {
    private final class Box: @unchecked Sendable {
        // Written before `done` is signalled, read after.
        var error: (any Error)?
    }

    static func run(_ config: NodeConfig) throws {
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
                box.error = error
                await node.shutdown()
                done.signal()
                return
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    stop.wait()
                    continuation.resume()
                }
            }
            await node.shutdown()
            done.signal()
        }
        done.wait()
        withExtendedLifetime(sources) {}
        if let error = box.error { throw UsageError("cannot start the node: \(error)") }
    }
}
