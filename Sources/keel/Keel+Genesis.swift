import ArgumentParser
import Foundation
import KeelChain
import KeelCrypto
import KeelNode

extension Keel {
    /// `keel genesis`: write a devnet genesis file (format: `Genesis/README.md`).
    struct Genesis: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "genesis",
            abstract: "Write a devnet genesis file: deterministic devnet validator keys and pre-deployed programs.",
            discussion: """
                The file is JSON, documented field by field in Genesis/README.md. Validator i uses \
                the well-known devnet key of index i (never use these keys outside a devnet), \
                withdraws to the account of its own key, which is funded for fees, and commits to \
                a RANDAO hash chain derived from its key.

                Every .kasm file of --programs is assembled and deployed, in the byte order of \
                the file names, the i-th at Address.program(deployer: 0x00...00, nonce: i).

                The genesis names a prover, the key whose signatures the stub proof system \
                accepts as transition proofs: by default the well-known devnet prover key \
                (public knowledge, like the validator keys), another with --prover-key, or none \
                with --no-prover.

                Cost: each validator's RANDAO chain takes --randao-chain-length SHA-256 hashes, \
                N x L in all at about 150 ns each on one core, spread over all cores: 4 x 65536 \
                is instant, 10000 x 65536 is about 100 s of one core. Progress goes to standard \
                error when it will take more than a few seconds.
                """
        )

        /// Above this many hashes (about 2.5 s on one core) progress is printed.
        static let progressHashCountMin: UInt64 = 1 << 24
        /// The latest genesis time accepted: year 9999, so the value is surely a typo if above.
        static let genesisTimeMsMax: UInt64 = 253_402_300_799_999

        @Option(help: "The number of validators, 1 to \(GenesisFile.validatorCountMax).")
        var validators: Int

        @Option(help: "Each validator's stake in whole units (at least 32, the stake needed to be active at genesis).")
        var stake: UInt64 = 32

        @Option(help: "The slot length in milliseconds, \(GenesisFile.slotMsMin) to \(GenesisFile.slotMsMax).")
        var slotMs: UInt64 = 1000

        @Option(help: "Slots per epoch (the preset's slots_per_epoch), 1 to \(Genesis.slotsPerEpochMax).")
        var slotsPerEpoch: UInt64 = 8

        @Option(help: "Unix time of slot 0 in milliseconds (default: now); 0 makes a template whose time the testnet tool sets when it starts.")
        var genesisTimeMs: UInt64?

        @Option(help: "Reveals in each validator's RANDAO hash chain, 1 to \(HashChain.lengthMax); costs validators x length hashes.")
        var randaoChainLength: UInt32 = 65_536

        @Option(help: "The directory of .kasm programs to deploy (default: Genesis/programs; if that is missing, none).")
        var programs: String?

        @Option(help: ArgumentHelp(
            "The prover's BIP-340 x-only public key, 64 hex digits (default: the devnet prover key).",
            valueName: "hex"))
        var proverKey: String?

        @Flag(help: "Name no prover: the chain accepts no stub proofs.")
        var noProver = false

        @Option(name: .shortAndLong, help: "The genesis file to write (replaced atomically).")
        var output: String

        /// The largest `--slots-per-epoch` accepted.
        static let slotsPerEpochMax: UInt64 = 1 << 16
        /// `--programs` when not given, relative to the current directory.
        static let programsDefault = "Genesis/programs"

        func validate() throws {
            try Self.checkValidatorCount(validators)
            let unit = Preset.devnet.stakeUnit
            let required = Preset.devnet.maxEffectiveStake.rawValue / unit
            guard stake >= required else {
                throw ValidationError("--stake: \(stake) is below \(required), the units a validator needs to be active at genesis")
            }
            guard !stake.multipliedReportingOverflow(by: unit).overflow else {
                throw ValidationError("--stake: \(stake) units do not fit in 64 bits of base units")
            }
            try Self.checkSlots(slotMs: slotMs, slotsPerEpoch: slotsPerEpoch)
            guard (1...HashChain.lengthMax).contains(randaoChainLength) else {
                throw ValidationError("--randao-chain-length: \(randaoChainLength) is not in 1...\(HashChain.lengthMax)")
            }
            if let genesisTimeMs, genesisTimeMs > Self.genesisTimeMsMax {
                throw ValidationError("--genesis-time-ms: \(genesisTimeMs) is after the year 9999")
            }
            _ = try prover()
        }

        /// The prover the genesis names: `--prover-key`, none with `--no-prover`, or by default
        /// the devnet prover.
        private func prover() throws -> PublicKey? {
            guard let proverKey else {
                return noProver ? nil : DevnetKeys.proverSecretKey.publicKey
            }
            guard !noProver else {
                throw ValidationError("--prover-key and --no-prover: give at most one")
            }
            return try Self.parseProverKey(proverKey)
        }

        /// `--prover-key`'s value as an x-only public key.
        static func parseProverKey(_ text: String) throws -> PublicKey {
            guard let bytes = Hex.decode(text) else {
                throw ValidationError("--prover-key: \(text) is not hex")
            }
            guard bytes.count == PublicKey.byteCount else {
                throw ValidationError("--prover-key: expected \(PublicKey.byteCount) bytes of hex, got \(bytes.count)")
            }
            guard let key = PublicKey(bytes: bytes) else {
                throw ValidationError("--prover-key: \(text) is not a valid secp256k1 x-only public key")
            }
            precondition(key.bytes == bytes, "an x-only key is its own 32 bytes")
            return key
        }

        func run() throws {
            var preset = Preset.devnet
            preset.slotsPerEpoch = slotsPerEpoch
            let file = GenesisFile.devnet(
                validatorCount: validators, stake: Stake(stake * preset.stakeUnit), slotMs: slotMs, preset: preset,
                genesisTimeMs: genesisTimeMs ?? SlotClock.systemNowMs(), randaoChainLength: randaoChainLength,
                programs: try loadPrograms(), proverKey: try prover(), progress: progressReporter())
            do {
                try file.write(path: output)
            } catch {
                throw UsageError(error.description)
            }
            print("wrote \(output): \(validators) validators, \(file.programs.count) programs, genesis root \(file.genesisRoot.hex)")
        }

        /// `--validators` of a new genesis (also `keel testnet up`'s).
        static func checkValidatorCount(_ validators: Int) throws {
            guard (1...GenesisFile.validatorCountMax).contains(validators) else {
                throw ValidationError("--validators: \(validators) is not in 1...\(GenesisFile.validatorCountMax)")
            }
        }

        /// `--slot-ms` and `--slots-per-epoch` of a new genesis (also `keel testnet up`'s).
        static func checkSlots(slotMs: UInt64, slotsPerEpoch: UInt64) throws {
            guard (GenesisFile.slotMsMin...GenesisFile.slotMsMax).contains(slotMs) else {
                throw ValidationError("--slot-ms: \(slotMs) is not in \(GenesisFile.slotMsMin)...\(GenesisFile.slotMsMax)")
            }
            guard (1...slotsPerEpochMax).contains(slotsPerEpoch) else {
                throw ValidationError("--slots-per-epoch: \(slotsPerEpoch) is not in 1...\(slotsPerEpochMax)")
            }
        }

        private func loadPrograms() throws -> [GenesisProgram] {
            try Self.loadPrograms(programs, noteIfDefaultMissing: true)
        }

        /// The programs of `--programs` (`programs`); a missing default directory means none,
        /// with a note if `noteIfDefaultMissing` (also `keel testnet up`'s).
        static func loadPrograms(_ programs: String?, noteIfDefaultMissing: Bool) throws -> [GenesisProgram] {
            let directory = programs ?? programsDefault
            if programs == nil, !FileManager.default.fileExists(atPath: directory) {
                if noteIfDefaultMissing {
                    note("no \(directory) directory here: the genesis deploys no programs (use --programs DIR)")
                }
                return []
            }
            do {
                return try GenesisPrograms.load(directory: directory)
            } catch {
                throw UsageError("--programs: \(error.description)")
            }
        }

        /// A reporter printing every 10% to standard error, when the chains take long enough.
        private func progressReporter() -> (@Sendable (Int, Int) -> Void)? {
            let hashCount = UInt64(validators).multipliedReportingOverflow(by: UInt64(randaoChainLength))
            guard hashCount.overflow || hashCount.partialValue >= Self.progressHashCountMin else { return nil }
            Self.note("computing \(validators) RANDAO hash chains of length \(randaoChainLength) (\(hashCount.partialValue) hashes)")
            let printer = ProgressPrinter()
            return { done, total in printer.report(done: done, total: total) }
        }

        /// Prints a note each time another tenth of the chains is done. `GenesisFile.devnet`
        /// calls its progress closure one call at a time, which is what makes the unlocked
        /// `reportedTenths` safe.
        private final class ProgressPrinter: @unchecked Sendable {
            private var reportedTenths = 0

            func report(done: Int, total: Int) {
                precondition(done >= 1 && done <= total, "progress counts validators done")
                let tenths = done * 10 / total
                guard tenths > reportedTenths else { return }
                reportedTenths = tenths
                Genesis.note("RANDAO chains: \(done)/\(total) validators")
            }
        }

        fileprivate static func note(_ message: String) {
            FileHandle.standardError.write(Data("keel: note: \(message)\n".utf8))
        }
    }
}
