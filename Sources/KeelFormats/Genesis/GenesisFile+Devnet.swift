import Dispatch
import Foundation
import KeelChain
import KeelCrypto

extension GenesisFile {
    /// A devnet genesis file: validators 0 ..< `validatorCount` with the deterministic devnet
    /// keys, withdrawal accounts and RANDAO chains of `DevnetGenesis`, `programs`, and the prover
    /// `proverKey` (by default the well-known devnet prover, `DevnetKeys.proverSecretKey`).
    ///
    /// The config is `DevnetGenesis.config(...)` exactly (a test holds them equal). Building it
    /// hashes one RANDAO chain of `randaoChainLength` elements per validator, N·L SHA-256 in
    /// all (about 150 ns each: 4 × 65,536 is instant, 10,000 × 65,536 about 100 s of one core),
    /// so the commitments are computed here on all cores, each with
    /// `DevnetGenesis.randaoChain`, and put into the config `DevnetGenesis.config` builds with
    /// chains of length 1.
    ///
    /// - Parameters:
    ///   - validatorCount: 1 to ``validatorCountMax``.
    ///   - stake: Each validator's stake in base units.
    ///   - slotMs: The slot length in milliseconds.
    ///   - preset: The protocol sizes.
    ///   - genesisTimeMs: Unix time of slot 0 in milliseconds (0 for a template).
    ///   - randaoChainLength: The reveals per validator chain, 1 to `HashChain.lengthMax`.
    ///   - programs: Programs to deploy, for example from ``GenesisPrograms/load(directory:)``;
    ///     the file lists them by name in byte order (the order `GenesisPrograms` deploys in).
    ///   - proverKey: The key whose signatures the stub proof system accepts as transition
    ///     proofs; `nil` names no prover.
    ///   - progress: Called with (validators done, validator count) as chains complete, from
    ///     worker threads but one call at a time, in increasing order.
    /// - Returns: The genesis file.
    public static func devnet(
        validatorCount: Int, stake: Stake, slotMs: UInt64, preset: Preset, genesisTimeMs: UInt64,
        randaoChainLength: UInt32, programs: [GenesisProgram],
        proverKey: PublicKey? = DevnetKeys.proverSecretKey.publicKey,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) -> GenesisFile {
        precondition(validatorCount >= 1 && validatorCount <= validatorCountMax, "validator count out of range")
        precondition(randaoChainLength >= 1 && randaoChainLength <= HashChain.lengthMax, "chain length out of range")
        var code: [Address: [UInt8]] = [:]
        for program in programs {
            code[program.address] = program.code
        }
        precondition(code.count == programs.count, "genesis program addresses are distinct")
        var config = DevnetGenesis.config(
            validatorCount: validatorCount, preset: preset, genesisTimeMs: genesisTimeMs, stake: stake,
            randaoChainLength: 1, programs: code, proverKey: proverKey)
        let commitments = DevnetRandaoCommitments.compute(
            validatorCount: validatorCount, length: randaoChainLength, progress: progress)
        precondition(commitments.count == config.validators.count, "one commitment per validator")
        for index in config.validators.indices {
            config.validators[index].randaoCommitment = commitments[index]
        }
        let names = Dictionary(uniqueKeysWithValues: programs.map { ($0.address, $0.name) })
        let file = GenesisFile(config: config, slotMs: slotMs, randaoChainLength: randaoChainLength, programNames: names)
        precondition(file.programs.count == programs.count, "every program is in the file")
        precondition(file.proverKey == proverKey, "the file names the prover it was asked to")
        return file
    }
}

/// The RANDAO commitments of devnet validators, computed on all cores.
enum DevnetRandaoCommitments {
    /// Results and progress shared by the workers, behind a lock.
    private final class Results: @unchecked Sendable {
        let lock = NSLock()
        var commitments: [Root]
        var done = 0

        init(count: Int) {
            commitments = Array(repeating: .zero, count: count)
        }
    }

    /// `DevnetGenesis.randaoChain(validatorIndex: i, length: length).commitment` for every i.
    static func compute(
        validatorCount: Int, length: UInt32, progress: (@Sendable (Int, Int) -> Void)?
    ) -> [Root] {
        precondition(validatorCount >= 1, "at least one validator")
        let results = Results(count: validatorCount)
        // Small chunks keep every core busy to the end; at most 64 validators per chunk keeps
        // progress reports frequent.
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let chunkSize = max(1, min(64, validatorCount / (4 * workers)))
        let chunkCount = (validatorCount + chunkSize - 1) / chunkSize
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (chunk * chunkSize)..<min(validatorCount, (chunk + 1) * chunkSize)
            let values = range.map { DevnetGenesis.randaoChain(validatorIndex: UInt64($0), length: length).commitment }
            results.lock.lock()
            defer { results.lock.unlock() }
            results.commitments.replaceSubrange(range, with: values)
            results.done += range.count
            progress?(results.done, validatorCount)
        }
        precondition(results.done == validatorCount, "every chunk ran once")
        return results.commitments
    }
}
