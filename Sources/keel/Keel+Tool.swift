import ArgumentParser
import Foundation
import KeelChain
import KeelCrypto

extension Keel {
    /// `keel tool`: run single consensus helpers on given inputs, to check them against the
    /// Ethereum phase0 reference by hand or from scripts.
    struct Tool: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tool",
            abstract: "Run single consensus helpers (phase0 shuffling, proposer selection) on given inputs.",
            subcommands: [Shuffle.self, Proposer.self]
        )
    }
}

extension Keel.Tool {
    /// `keel tool shuffle`: the swap-or-not permutation of phase0 `compute_shuffled_index`.
    struct Shuffle: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "shuffle",
            abstract: "Print the JSON array m with m[i] = compute_shuffled_index(i, count, seed).")

        /// The largest `--count` accepted: the output of 2^22 indices is already tens of MB.
        static let countMax: UInt64 = 1 << 22

        @Option(help: "The shuffling seed: 64 hex digits (32 bytes), optionally prefixed with 0x.")
        var seed: String

        @Option(help: "The number of indices to shuffle, 0 to \(Shuffle.countMax).")
        var count: UInt64

        func validate() throws {
            guard count <= Self.countMax else {
                throw ValidationError("--count: \(count) is above the maximum \(Self.countMax)")
            }
        }

        func run() throws {
            let seed = try ToolArguments.seed(seed)
            let mapping = computeShuffledList(indexCount: count, seed: seed)
            print("[" + mapping.map(String.init).joined(separator: ",") + "]")
        }
    }

    /// `keel tool proposer`: phase0 `compute_proposer_index` over validators `0 ..< n`.
    struct Proposer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "proposer",
            abstract: "Print the proposer index chosen by compute_proposer_index among validators 0..<n.")

        /// The largest number of validators accepted.
        static let stakeCountMax = 1 << 20

        @Option(help: "The proposer seed: 64 hex digits (32 bytes), optionally prefixed with 0x.")
        var seed: String

        @Option(help: "Effective stakes of validators 0, 1, ..., n-1, comma-separated whole numbers, each at most --max-stake.")
        var stakes: String

        @Option(help: "The maximum effective stake (MAX_EFFECTIVE_BALANCE), in the unit of --stakes; at least 1.")
        var maxStake: UInt64 = 32

        func validate() throws {
            guard maxStake >= 1 else { throw ValidationError("--max-stake: must be at least 1") }
        }

        func run() throws {
            let seed = try ToolArguments.seed(seed)
            let effectiveStakes = try ToolArguments.stakes(stakes, maxStake: maxStake, countMax: Self.stakeCountMax)
            let indices = (0..<UInt64(effectiveStakes.count)).map(ValidatorIndex.init)
            do {
                let proposer = try computeProposerIndex(
                    indices: indices, effectiveStake: { effectiveStakes[Int($0.rawValue)] }, seed: seed,
                    maxEffectiveStake: Stake(maxStake))
                print(proposer.rawValue)
            } catch {
                throw UsageError("no proposer: \(error)")
            }
        }
    }
}

/// Parsing of the `keel tool` inputs; every failure is a one-line `UsageError`.
enum ToolArguments {
    /// A 32-byte seed from 64 hex digits.
    static func seed(_ text: String) throws -> Root {
        guard let seed = Root(hex: text) else {
            throw UsageError("--seed: '\(text)' is not 64 hex digits (32 bytes)")
        }
        return seed
    }

    /// Comma-separated whole stakes, one per validator, each in `0 ... maxStake`.
    static func stakes(_ text: String, maxStake: UInt64, countMax: Int) throws -> [Stake] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        guard !text.isEmpty, items.count <= countMax else {
            throw UsageError("--stakes: give between 1 and \(countMax) comma-separated stakes")
        }
        return try items.map { item -> Stake in
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let value = UInt64(trimmed), value <= maxStake else {
                throw UsageError("--stakes: '\(trimmed)' is not a whole number in [0, \(maxStake)]")
            }
            return Stake(value)
        }
    }
}
