import ArgumentParser
import Foundation
import KeelChain
import KeelNode

extension Keel.ValidatorCommand {
    /// `keel validator devnet-keys`: a validator keys file of well-known devnet keys, for
    /// running a devnet's validators split over several machines.
    struct DevnetKeysCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "devnet-keys",
            abstract: "Write a validator keys file (for keel node --validator-keys) with the devnet keys of some validators.",
            discussion: """
                The keys are the deterministic devnet keys that 'keel genesis' registers \
                (validator i's secret key is SHA-256 of i as 8 little-endian bytes): public \
                knowledge, for devnets only. With --genesis the file is checked against that \
                genesis first (keys and RANDAO commitments). The file is written with mode 0600.
                """)

        @Option(help: "Validator indices, as 0,1,2 or ranges 0-2,5.")
        var indices: String

        @Option(help: "A genesis file to check the keys against.")
        var genesis: String?

        @Option(name: .shortAndLong, help: "The keys file to write (replaced atomically).")
        var output: String

        /// "0-2,5" as [0, 1, 2, 5]; a range is at most this long, so a typo cannot ask for 2^64 keys.
        static let rangeCountMax: UInt64 = 100_000

        static func parse(_ text: String) throws -> [ValidatorIndex] {
            var indices: [ValidatorIndex] = []
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
                guard (1...2).contains(bounds.count), let low = UInt64(bounds[0]), let high = UInt64(bounds[bounds.count - 1]),
                    low <= high, high - low < rangeCountMax
                else { throw ValidationError("--indices: '\(part)' is not an index or a range LOW-HIGH") }
                indices += (low...high).map(ValidatorIndex.init)
            }
            guard Set(indices).count == indices.count else { throw ValidationError("--indices: an index is repeated") }
            return indices
        }

        func validate() throws { _ = try Self.parse(indices) }

        func run() throws {
            let file = ValidatorKeysFile.devnet(indices: try Self.parse(indices))
            if let genesis {
                let genesisFile: GenesisFile
                do { genesisFile = try GenesisFile.load(path: genesis) } catch { throw UsageError("--genesis: \(error.description)") }
                do { try file.validate(against: genesisFile) } catch { throw UsageError("--genesis: \(error)") }
            }
            do { try file.write(path: output) } catch { throw UsageError("\(error)") }
            print("wrote \(output): \(file.entries.count) devnet validator keys")
        }
    }
}
