import BenchSupport
import KeelChain
import KeelCrypto
import KeelNode

/// Block import: one devnet block carrying `attestationCount` signed attestations (from the
/// previous slot's committee) and `transactionCount` signed transfers, imported many times on
/// copies of the state before it.
struct BlockImportBench {
    let validatorCount: Int
    let pre: ChainState
    let block: SignedBlock
    let signatureCount: Int

    var attestationCount: Int { block.message.body.attestations.count }
    var transactionCount: Int { block.message.body.transactions.count }

    /// Builds the state at slot 1 (after a block at slot 1, whose committee then attested) and
    /// the block of slot 2, and checks that the block imports under the verifying transition.
    init(validatorCount: Int, attestationCount: Int, transactionCount: Int) throws {
        var driver = try DevnetDriver(validatorCount: validatorCount, signs: true)
        try driver.advance(to: Slot(1))
        guard driver.attestationPool.count >= attestationCount else {
            throw BenchError(
                "slot 1's committee has \(driver.attestationPool.count) members with \(validatorCount) validators, "
                    + "fewer than the \(attestationCount) attestations wanted (one committee per slot: use at least "
                    + "\(attestationCount * Int(driver.state.preset.slotsPerEpoch)) validators)")
        }
        guard transactionCount <= validatorCount / 2 else {
            throw BenchError("\(transactionCount) transfers need at least \(2 * transactionCount) devnet accounts")
        }
        driver.attestationPool = Array(driver.attestationPool.prefix(attestationCount))
        // Transfers from the accounts of validators 0, 1, ... to those of the last validators,
        // all funded at genesis, each signed by its sender's devnet key.
        var transactions: [SignedTransaction] = []
        for sender in 0..<transactionCount {
            let from = Address(driver.secretKey(sender).publicKey)
            let to = Address(driver.secretKey(validatorCount - 1 - sender).publicKey)
            let transaction = Transaction(
                sender: from, nonce: driver.state.accounts[from]?.nonce ?? 0, fee: Stake(1_000),
                kind: .transfer(recipient: to, amount: Stake(1_000_000_000)))
            transactions.append(SignedTransaction(
                message: transaction, signature: driver.secretKey(sender).sign(driver.state.signingRoot(of: transaction))))
        }
        let block = try driver.makeBlock(slot: Slot(2), transactions: transactions)
        guard block.message.body.attestations.count == attestationCount,
            block.message.body.transactions.count == transactionCount
        else {
            throw BenchError(
                "produceBlock kept \(block.message.body.attestations.count) of \(attestationCount) attestations and "
                    + "\(block.message.body.transactions.count) of \(transactionCount) transactions")
        }
        var check = driver.state
        let sets = try check.stateTransition(block, strategy: .collect)
        var verified = driver.state
        try verified.stateTransition(block, strategy: .verifyIndividually)
        guard ParallelSignatureVerifier.verifyAll(sets, chunkCount: 1) else { throw BenchError("a collected signature is invalid") }
        self.validatorCount = validatorCount
        self.pre = driver.state
        self.block = block
        self.signatureCount = sets.count
    }

    /// `stateTransition` on a fresh copy of the pre-state (the copy-on-write of the registry is
    /// part of the work, as when a node imports onto its parent's state).
    func importBlock(_ strategy: SignatureStrategy) -> [SignatureSet] {
        var state = pre
        do {
            return try state.stateTransition(block, strategy: strategy)
        } catch {
            preconditionFailure("the benchmark block failed to import: \(error)")
        }
    }

    // MARK: Single core (the main thread pinned; thread CPU time)

    struct SingleCore {
        var verifyIndividually: [Double] = []
        var skip: [Double] = []
        var collect: [Double] = []
        var verifyOneChunk: [Double] = []
        /// Parsing every transaction's sender address as a key, as `processTransaction` does
        /// under every strategy (a square root per key).
        var senderKeyParsing: [Double] = []
    }

    /// Rounds of: `.verifyIndividually`, `.skip`, `.collect`, and the collected sets checked on
    /// this thread, in rotating order, after one warm-up round.
    func measureSingleCore(runs: Int) -> SingleCore {
        let sets = importBlock(.collect)
        var result = SingleCore()
        let steps: [(inout SingleCore, Double) -> Void] = [
            { $0.verifyIndividually.append($1) }, { $0.skip.append($1) }, { $0.collect.append($1) },
            { $0.verifyOneChunk.append($1) }, { $0.senderKeyParsing.append($1) },
        ]
        let senders = block.message.body.transactions.map { $0.message.sender.hash.bytes }
        for round in -1..<runs {
            for offset in 0..<steps.count {
                let step = (offset + max(round, 0)) % steps.count
                let start = Clock.threadCPU()
                switch step {
                case 0: blackHole(importBlock(.verifyIndividually))
                case 1: blackHole(importBlock(.skip))
                case 2: blackHole(importBlock(.collect))
                case 3: precondition(ParallelSignatureVerifier.verifyAll(sets, chunkCount: 1), "valid sets")
                default: for sender in senders { blackHole(PublicKey(bytes: sender)) }
                }
                let elapsed = Double(Clock.threadCPU() - start)
                if round >= 0 { steps[step](&result, elapsed) }
            }
        }
        return result
    }

    // MARK: All cores (wall time)

    struct Parallel {
        /// The CPUs the process may use; the one-core runs are pinned to each in turn.
        var cpus: [Int]
        var chunkCount: Int
        var otherChunkCount: Int
        /// Signature checks alone: `verifyAll` with one chunk, the main thread pinned to each CPU
        /// (indexed like `cpus`), and unpinned with `chunkCount` and `otherChunkCount` chunks.
        var verifyOneCore: [[Double]]
        var verifyAllCores: [Double] = []
        var verifyOtherChunks: [Double] = []
        /// Whole imports: `.collect` transition then `verifyAll`, one chunk on the fastest CPU vs
        /// `chunkCount` chunks unpinned.
        var importOneCore: [Double] = []
        var importAllCores: [Double] = []
        /// Process CPU time / wall time over the all-cores signature checks: how many cores
        /// were busy on average.
        var coresBusy: Double = 0

        init(cpus: [Int], chunkCount: Int, otherChunkCount: Int) {
            self.cpus = cpus
            self.chunkCount = chunkCount
            self.otherChunkCount = otherChunkCount
            verifyOneCore = Array(repeating: [], count: cpus.count)
        }

        /// Per round, the one-chunk time on the fastest core (by median): the conservative
        /// baseline, since on a VM the cores need not be equally fast.
        var bestOneCore: [Double] { verifyOneCore[fastestCPU] }
        /// Per round, the mean over the cores of the one-chunk time (a core picked at random).
        var meanOneCore: [Double] {
            verifyOneCore[0].indices.map { round in verifyOneCore.map { $0[round] }.reduce(0, +) / Double(cpus.count) }
        }
        /// Medians of the rounds' ratios (each round runs everything back to back, so all see
        /// the same machine state).
        var speedupOverBest: Double { median(zip(bestOneCore, verifyAllCores).map { $0 / $1 }) }
        var speedupOverMean: Double { median(zip(meanOneCore, verifyAllCores).map { $0 / $1 }) }
        var otherSpeedupOverBest: Double { median(zip(bestOneCore, verifyOtherChunks).map { $0 / $1 }) }
        var importSpeedup: Double { median(zip(importOneCore, importAllCores).map { $0 / $1 }) }
        /// The CPU (index into `cpus`) with the smallest median one-chunk time.
        var fastestCPU: Int { verifyOneCore.indices.min { median(verifyOneCore[$0]) < median(verifyOneCore[$1]) }! }
    }

    /// Rounds of: one-chunk checks pinned to each CPU, then `chunkCount` and `otherChunkCount`
    /// chunks on every CPU (order rotating); then rounds of whole imports, one core (pinned to
    /// the fastest CPU) against all. Wall time. Dispatch's worker threads are started first,
    /// unpinned, so that they may run anywhere.
    func measureParallel(runs: Int, chunkCount: Int, otherChunkCount: Int) -> Parallel {
        let sets = importBlock(.collect)
        let allCPUs = Affinity.current() ?? []
        let cpus = allCPUs.isEmpty ? [-1] : allCPUs
        var result = Parallel(cpus: cpus, chunkCount: chunkCount, otherChunkCount: otherChunkCount)
        for _ in 0..<3 { precondition(ParallelSignatureVerifier.verifyAll(sets, chunkCount: max(chunkCount, otherChunkCount)), "valid sets") }
        func pin(_ cpu: Int) { if cpu >= 0 { Affinity.set([cpu]) } }
        func unpin() { if !allCPUs.isEmpty { Affinity.set(allCPUs) } }
        func timed(_ body: () -> Bool) -> (wall: UInt64, cpu: UInt64) {
            let cpuStart = Clock.processCPU()
            let start = Clock.wall()
            let valid = body()
            let elapsed = (Clock.wall() - start, Clock.processCPU() - cpuStart)
            precondition(valid, "valid sets")
            return elapsed
        }
        var allCoresWall: UInt64 = 0
        var allCoresCPU: UInt64 = 0
        let kinds = cpus.count + 2
        for round in -1..<runs {
            for offset in 0..<kinds {
                let kind = (offset + max(round, 0)) % kinds
                if kind < cpus.count {
                    pin(cpus[kind])
                    let time = timed { ParallelSignatureVerifier.verifyAll(sets, chunkCount: 1) }
                    unpin()
                    if round >= 0 { result.verifyOneCore[kind].append(Double(time.wall)) }
                } else if kind == cpus.count {
                    let time = timed { ParallelSignatureVerifier.verifyAll(sets, chunkCount: chunkCount) }
                    if round >= 0 {
                        result.verifyAllCores.append(Double(time.wall))
                        allCoresWall += time.wall
                        allCoresCPU += time.cpu
                    }
                } else {
                    let time = timed { ParallelSignatureVerifier.verifyAll(sets, chunkCount: otherChunkCount) }
                    if round >= 0 { result.verifyOtherChunks.append(Double(time.wall)) }
                }
            }
        }
        result.coresBusy = Double(allCoresCPU) / Double(max(allCoresWall, 1))
        let fastest = cpus[result.fastestCPU]
        for round in -1..<runs {
            for oneFirst in round % 2 == 0 ? [true, false] : [false, true] {
                if oneFirst { pin(fastest) }
                let time = timed {
                    ParallelSignatureVerifier.verifyAll(importBlock(.collect), chunkCount: oneFirst ? 1 : chunkCount)
                }
                if oneFirst { unpin() }
                guard round >= 0 else { continue }
                if oneFirst {
                    result.importOneCore.append(Double(time.wall))
                } else {
                    result.importAllCores.append(Double(time.wall))
                }
            }
        }
        return result
    }
}

extension BlockImportBench {
    /// Thread CPU nanoseconds per encode and per decode of the signed block, median of `runs`
    /// rounds of `repeats` each; and the encoded size.
    struct Codec {
        var encode: [Double] = []
        var decode: [Double] = []
        var byteCount = 0
    }

    func measureCodec(runs: Int, repeats: Int = 200) throws -> Codec {
        precondition(runs > 0 && repeats > 0, "something to time")
        let bytes = block.encoded
        let decoded = try SignedBlock(decoding: bytes)
        precondition(decoded.encoded == bytes, "the block round-trips")
        var result = Codec(byteCount: bytes.count)
        for round in -1..<runs {
            var start = Clock.threadCPU()
            for _ in 0..<repeats { blackHole(block.encoded) }
            let encode = Double(Clock.threadCPU() - start) / Double(repeats)
            start = Clock.threadCPU()
            for _ in 0..<repeats { blackHole(try SignedBlock(decoding: bytes)) }
            let decode = Double(Clock.threadCPU() - start) / Double(repeats)
            guard round >= 0 else { continue }
            result.encode.append(encode)
            result.decode.append(decode)
        }
        return result
    }
}
