import ArgumentParser
import Foundation
import KeelChain
import KeelNode

extension Keel {
    /// `keel validator`: the validator client's offline tools.
    ///
    /// Named `ValidatorCommand` so that, inside `extension Keel`, `Validator` keeps naming the
    /// registry entry of KeelChain.
    struct ValidatorCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validator",
            abstract: "Validator client tools.",
            subcommands: [SlashingProtection.self, DevnetKeysCommand.self]
        )
    }
}

extension Keel.ValidatorCommand {
    /// Where the slashing-protection database lives and which chain it belongs to.
    struct DatabaseOptions: ParsableArguments {
        @Option(help: "The node's data directory; the database is DIR/\(SlashingProtectionDatabase.fileName).")
        var dataDir: String

        @Option(help: "The chain's genesis file (JSON, as `keel genesis` writes it); its genesis root is the interchange's genesis_validators_root.")
        var genesis: String

        var databasePath: String { URL(fileURLWithPath: dataDir).appendingPathComponent(SlashingProtectionDatabase.fileName).path }

        /// The genesis root of `--genesis`.
        func genesisRoot() throws -> Root {
            do {
                return try GenesisFile.load(path: genesis).genesisRoot
            } catch {
                throw UsageError("--genesis: \(error.description)")
            }
        }

        /// Opens the database; `create` lets a missing one (and its directory) be created.
        func open(create: Bool) throws -> SlashingProtectionDatabase {
            let root = try genesisRoot()
            if !FileManager.default.fileExists(atPath: databasePath) {
                guard create else { throw UsageError("--data-dir: no slashing protection database at \(databasePath)") }
                do {
                    try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
                } catch {
                    throw UsageError("--data-dir: cannot create \(dataDir): \(error.localizedDescription)")
                }
            }
            do {
                return try SlashingProtectionDatabase.open(path: databasePath, genesisRoot: root)
            } catch {
                throw UsageError(error.description)
            }
        }
    }

    /// `keel validator slashing-protection`: EIP-3076 interchange files.
    struct SlashingProtection: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "slashing-protection",
            abstract: "Export or import slashing-protection history as an EIP-3076 interchange file (format version 5).",
            discussion: """
                The file is EIP-3076 interchange JSON, format version 5, with one departure: \
                pubkey is a validator's 32-byte x-only secp256k1 key (0x + 64 hex digits), not a \
                48-byte BLS key. genesis_validators_root is the chain's genesis root. Import \
                merges by union with what the database holds, all or nothing, and refuses a \
                file of another chain or format version.
                """,
            subcommands: [Export.self, Import.self]
        )
    }

    /// `keel validator slashing-protection export FILE`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every signed block and attestation in the database to an interchange file."
        )

        @Argument(help: "The interchange file to write (replaced atomically).")
        var file: String

        @OptionGroup var options: DatabaseOptions

        func run() throws {
            let database = try options.open(create: false)
            defer { database.close() }
            let interchange: SlashingProtectionInterchange
            do { interchange = try database.exportInterchange() } catch { throw UsageError(error.description) }
            do {
                try interchange.encodedJSON().write(to: URL(fileURLWithPath: file), options: .atomic)
            } catch {
                throw UsageError("cannot write \(file): \(error.localizedDescription)")
            }
            let blocks = interchange.data.reduce(0) { $0 + $1.signedBlocks.count }
            let attestations = interchange.data.reduce(0) { $0 + $1.signedAttestations.count }
            print("exported \(interchange.data.count) validators (\(blocks) blocks, \(attestations) attestations) to \(file)")
        }
    }

    /// `keel validator slashing-protection import FILE`.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge an interchange file into the database (created if missing), all or nothing."
        )

        @Argument(help: "The interchange file to read.")
        var file: String

        @OptionGroup var options: DatabaseOptions

        func run() throws {
            // Parse (and check the chain) before creating anything, so a bad file leaves no trace.
            let interchange: SlashingProtectionInterchange
            do { interchange = try SlashingProtectionInterchange.load(path: file) } catch {
                throw UsageError("\(file): \(error.description)")
            }
            let root = try options.genesisRoot()
            guard interchange.genesisValidatorsRoot == root else {
                throw UsageError("\(file): genesis_validators_root \(interchange.genesisValidatorsRoot.hex) is not the genesis root \(root.hex) of \(options.genesis)")
            }
            let database = try options.open(create: true)
            defer { database.close() }
            let summary: SlashingProtectionDatabase.ImportSummary
            do { summary = try database.importInterchange(interchange) } catch { throw UsageError("\(file): \(error.description)") }
            print("imported \(file): \(summary.validatorCount) validators, \(summary.blocksAdded) blocks and \(summary.attestationsAdded) attestations added")
        }
    }
}
