import ArgumentParser
import Foundation
import KeelSim

extension Keel {
    /// `keel sim`: a seeded, deterministic network of node cores on simulated time.
    struct Sim: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sim",
            abstract: "Simulate N validators on simulated time (the node's own core); a seed replays a run exactly.",
            subcommands: [SimRun.self, SimSoak.self], defaultSubcommand: SimRun.self)
    }

    /// `keel sim [run]`: one run.
    struct SimRun: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run one simulation (the default: `keel sim --validators N --epochs E`).",
            discussion: """
                Prints one line per epoch (epoch, head slot, justified and finalized epoch, the \
                fraction of active stake whose target vote was included, slashed validators) as \
                seen by node 0. Exits 1 if two conflicting checkpoints are ever finalized, or if \
                an honest node relays or imports a forged message.
                """)

        @Option(help: "Number of validators.")
        var validators: Int

        @Option(help: "Epochs to simulate.")
        var epochs: UInt64

        @Option(help: "Seed of every random choice in the run.")
        var seed: UInt64 = 1

        @Option(help: "Nodes hosting the validators (default: min(validators, 8)).")
        var nodes: Int?

        @Option(help: "Take a fraction of validators offline for epochs [FROM, TO), as FRACTION@FROM-TO (e.g. 0.4@2-20).")
        var offline: String?

        @Option(help: "Split the nodes into two halves that cannot talk during epochs [FROM, TO), as FROM-TO.")
        var partition: String?

        @Option(help: "Validators (the highest indices) that double-propose and double-vote.")
        var equivocators: Int = 0

        @Option(help: "Mean one-way message latency in milliseconds (slots are 1000 ms).")
        var latencyMs: UInt64 = 50

        @Option(help: "Probability that a message is lost on the way to one node, in [0, 1).")
        var loss: Double = 0

        @Flag(help: "Neither make nor check signatures (for scale runs; printed in the output).")
        var skipSignatures = false

        @Flag(help: "Add a node that forges a message of every kind each slot (needs signatures checked).")
        var forger = false

        @Flag(help: "Print one JSON object per epoch instead of text.")
        var json = false

        func validate() throws {
            guard validators >= 1 && validators <= 100_000 else { throw ValidationError("--validators must be 1...100000") }
            guard epochs >= 1 && epochs <= 10_000 else { throw ValidationError("--epochs must be 1...10000") }
            if let nodes, !(1...validators).contains(nodes) { throw ValidationError("--nodes must be 1...validators") }
            guard equivocators >= 0 && equivocators <= validators else { throw ValidationError("--equivocators must be 0...validators") }
            guard loss >= 0 && loss < 1 else { throw ValidationError("--loss must be in [0, 1)") }
            guard latencyMs <= 10_000 else { throw ValidationError("--latency-ms must be at most 10000") }
            guard !(forger && skipSignatures) else {
                throw ValidationError("--forger needs signatures checked: forgeries are caught by them (drop --skip-signatures)")
            }
            _ = try parsedOffline()
            _ = try parsedPartition()
        }

        private func parsedRange(_ text: String, option: String) throws -> EpochRange {
            let parts = text.split(separator: "-")
            guard parts.count == 2, let from = UInt64(parts[0]), let to = UInt64(parts[1]), from <= to else {
                throw ValidationError("\(option): expected FROM-TO epochs with FROM <= TO, got '\(text)'")
            }
            return EpochRange(from: from, to: to)
        }

        private func parsedOffline() throws -> (Double, EpochRange)? {
            guard let offline else { return nil }
            let parts = offline.split(separator: "@")
            guard parts.count == 2, let fraction = Double(parts[0]), fraction >= 0, fraction <= 1 else {
                throw ValidationError("--offline: expected FRACTION@FROM-TO with FRACTION in [0, 1], got '\(offline)'")
            }
            return (fraction, try parsedRange(String(parts[1]), option: "--offline"))
        }

        private func parsedPartition() throws -> EpochRange? {
            try partition.map { try parsedRange($0, option: "--partition") }
        }

        func run() throws {
            let offline = try parsedOffline()
            let config = SimConfig(
                validatorCount: validators, nodeCount: nodes, epochs: epochs, seed: seed,
                offlineFraction: offline?.0 ?? 0, offlineEpochs: offline?.1, partitionEpochs: try parsedPartition(),
                equivocatorCount: equivocators, latencyMs: latencyMs, lossProbability: loss, skipSignatures: skipSignatures,
                forger: forger)
            let header = "sim: seed \(seed), \(validators) validators on \(config.nodeCount) nodes, \(epochs) epochs, "
                + "latency \(latencyMs) ms, loss \(loss), equivocators \(equivocators)"
                + (offline.map { ", offline \($0.0)@\($0.1)" } ?? "") + (partition.map { ", partition \($0)" } ?? "")
                + (skipSignatures ? ", SIGNATURES SKIPPED" : "") + (forger ? ", forger" : "")
            FileHandle.standardError.write(Data((header + "\n").utf8))
            var simulator = try Simulator(config)
            let started = Date()
            simulator.run { report in
                // Unbuffered, so a watcher sees each epoch as it ends.
                FileHandle.standardOutput.write(Data(((json ? report.json : report.text) + "\n").utf8))
            }
            let seconds = Date().timeIntervalSince(started)
            let slots = Double(epochs * config.preset.slotsPerEpoch)
            FileHandle.standardError.write(Data(String(
                format: "sim: %.1f s, %.1f simulated slots/s, %d messages, %d block imports\n",
                seconds, slots / max(seconds, 1e-9), simulator.messagesDelivered, simulator.blocksImported).utf8))
            if forger {
                FileHandle.standardError.write(Data(
                    "sim: forger sent \(simulator.forgeriesSent) forged messages, \(simulator.forgerPenalties) penalties, \(simulator.forgeriesAccepted) accepted\n".utf8))
            }
            if simulator.forgeriesAccepted > 0 {
                FileHandle.standardError.write(Data("sim: FORGERY ACCEPTED: an honest node relayed or imported a forged message\n".utf8))
                throw ExitCode(1)
            }
            if let violation = simulator.safetyViolation {
                FileHandle.standardError.write(Data("sim: SAFETY VIOLATION: \(violation)\nreproduce with: keel sim \(CommandLine.arguments.dropFirst(2).joined(separator: " "))\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
