// ChainBench: block import, epoch processing and simulator speed (the chain benchmarks).
//
// 1. Block import: a devnet block with 128 signed attestations and 100 signed transfers, imported
//    on copies of its pre-state with every signature strategy; its signatures checked by
//    `ParallelSignatureVerifier.verifyAll` on one core and on all cores (the speed-up).
// 2. Epoch processing with 10,000 validators, all attesting: `processSlots` across the boundary,
//    `processEpoch` step by step, and the state root after it.
// 3. Simulator speed in simulated slots per second, 1,000 and 10,000 validators, with and
//    without signatures.
//
// Run as `scripts/bench` does (not under taskset: the program pins itself after the all-cores
// part, so that part may use every core):
//   swift build -c release --product ChainBench && .build/release/ChainBench --pin-cpu 1
import BenchSupport
import Foundation
import KeelNode

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    print(Options.usage)
    exit(2)
}

/// Prints progress at once, even into a pipe.
func progress(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let machine = Machine.current()
let loadAtStart = Machine.loadAverage()
let startCPUs = Affinity.current()
var tables: [Table] = []
var footer: [String] = []
var pinNote = "not pinned (no --pin-cpu)"
/// This run's rows of the suite summary (LimitsBench `--rows`): benchmark, ours, limit, ratio,
/// target, met; tab-separated.
var summaryRows: [[String]] = []

/// Pins the main thread for the single-threaded parts (once; the all-cores part runs before).
@MainActor func pinForSingleCore() {
    guard let cpu = options.pinCPU, pinNote.hasPrefix("not pinned (no") else { return }
    if let allowed = startCPUs, !allowed.contains(cpu) {
        pinNote = "NOT pinned: CPU \(cpu) is not among the allowed CPUs \(Affinity.describe(allowed))"
    } else if Affinity.set([cpu]), Affinity.current() == [cpu] {
        pinNote = "main thread pinned to CPU \(cpu)"
    } else {
        pinNote = "NOT pinned: sched_setaffinity refused CPU \(cpu)"
    }
    progress("single-core parts: \(pinNote)")
}

do {
    // libsecp256k1's verification rate on every core, for the simulator's ratio: measured now,
    // before the single-core sections pin this thread (threads it starts would inherit the pin).
    let simCheckLimit: Double? =
        options.sections.contains(.sim) && options.simEpochs10k > 0 && options.signed10k ? SimBench.allCoresCheckRate() : nil

    // MARK: 1. Block import
    if options.sections.contains(.block) {
        let blockLoad = OtherLoad()
        progress("block import: building a \(options.blockValidators)-validator devnet and the block...")
        let bench = try BlockImportBench(
            validatorCount: options.blockValidators, attestationCount: options.attestations,
            transactionCount: options.transactions)
        let chunks = options.chunkCount ?? ParallelSignatureVerifier.defaultChunkCount
        let idle = Machine.idleFraction(over: 1)
        let idleText = idle.map { fixed(100 * $0, 0) + "%" } ?? "unknown"
        progress("block import: CPU idle over the last second: \(idleText)")
        progress("block import: \(bench.signatureCount) signatures; all-cores checks in \(chunks) chunks on CPUs "
            + "\(Affinity.describe(startCPUs)) (unpinned), \(options.parallelRuns) rounds...")
        let parallelLoad = OtherLoad()
        let parallel = bench.measureParallel(
            runs: options.parallelRuns, chunkCount: chunks, otherChunkCount: options.otherChunkCount ?? ProcessInfoCores.activeProcessorCount)
        let parallelOthers = parallelLoad.describe()
        pinForSingleCore()
        progress("block import: single-core strategies, \(options.blockRuns) rounds...")
        let single = bench.measureSingleCore(runs: options.blockRuns)
        let codec = try bench.measureCodec(runs: options.blockRuns)

        let signatures = Double(bench.signatureCount)
        let verifying = median(single.verifyIndividually)
        let skipping = median(single.skip)
        func perSignature(_ nanoseconds: Double) -> String { fixed(nanoseconds / signatures / 1000, 1) + " µs" }
        let target = 1.7
        let allowedCount = startCPUs?.count ?? machine.coreCount
        let speedup = parallel.speedupOverBest
        let fastest = parallel.fastestCPU
        var parallelRows: [[String]] = []
        for (index, cpu) in parallel.cpus.enumerated() {
            let time = median(parallel.verifyOneCore[index])
            parallelRows.append([
                "signature checks, verifyAll 1 chunk, on CPU \(cpu) (wall)", ms(time), perSignature(time),
                (index == fastest ? "the fastest core; " : "") + "main thread pinned to it"])
        }
        let allCores = median(parallel.verifyAllCores)
        let other = median(parallel.verifyOtherChunks)
        parallelRows += [
            ["signature checks, verifyAll \(parallel.chunkCount) chunks (wall)", ms(allCores), perSignature(allCores),
             "all cores (CPUs \(Affinity.describe(parallel.cpus))): verifyAll's default chunking, handed out as cores free up; "
                + fixed(parallel.coresBusy, 2) + " cores busy on average"],
            ["signature-check speed-up, all cores / fastest core", fixed(speedup, 2) + "x", "",
             (speedup >= target ? "ok" : "MISSED") + " (target >= \(target)x on 2 cores); over a core picked at random: "
                + fixed(parallel.speedupOverMean, 2) + "x"
                + (allowedCount < 2 ? "; ONLY ONE CPU ALLOWED, speed-up meaningless" : "")],
            ["signature checks, verifyAll \(parallel.otherChunkCount) chunks (wall)", ms(other), perSignature(other),
             (parallel.otherChunkCount == parallel.cpus.count ? "one equal chunk per core (verifyAll's default until 2026-11-22)" : "for comparison")
                + ": speed-up over the fastest core "
                + fixed(parallel.otherSpeedupOverBest, 2) + "x"],
            ["import, .collect + verifyAll 1 chunk on CPU \(parallel.cpus[fastest]) (wall)", ms(median(parallel.importOneCore)), "", ""],
            ["import, .collect + verifyAll \(parallel.chunkCount) chunks (wall)", ms(median(parallel.importAllCores)), "",
             "whole-import speed-up " + fixed(parallel.importSpeedup, 2) + "x (the .collect transition stays on one core)"],
        ]
        let encode = median(codec.encode)
        let decode = median(codec.decode)
        func perSecond(_ nanoseconds: Double) -> String { fixed(Double(codec.byteCount) / nanoseconds * 1e3, 0) + " MB/s" }
        parallelRows += [
            ["codec: encode the signed block (\(codec.byteCount) bytes)", ms(encode, 3), "", perSecond(encode) + "; thread CPU time, pinned"],
            ["codec: decode the signed block", ms(decode, 3), "", perSecond(decode) + "; checks every list limit"],
        ]
        let blockName = "\(bench.signatureCount) signatures"
        summaryRows += [
            ["block import: signature checks, all cores vs one core (verifyAll, \(blockName))",
             ms(allCores) + " on \(parallel.cpus.count) cores", ms(median(parallel.verifyOneCore[fastest])) + " fastest single core",
             fixed(speedup, 2) + "x", ">= " + fixed(target, 2) + "x on 2 cores", speedup >= target ? "yes" : "NO"],
            ["block import: verifyAll \(parallel.otherChunkCount) chunks vs one core", ms(other),
             ms(median(parallel.verifyOneCore[fastest])) + " fastest single core", fixed(parallel.otherSpeedupOverBest, 2) + "x", "-", "-"],
            ["block import: stateTransition .verifyIndividually, 1 core (\(blockName))", ms(verifying),
             "signature checks alone: " + ms(median(single.verifyOneChunk)), fixed(100 * median(single.verifyOneChunk) / verifying, 0) + "% crypto", "-", "-"],
            ["block import: .collect + verifyAll, all cores (wall)", ms(median(parallel.importAllCores)),
             ms(median(parallel.importOneCore)) + " same on one core", fixed(parallel.importSpeedup, 2) + "x", "-", "-"],
            ["codec: encode the signed block (\(codec.byteCount) B)", ms(encode, 3) + " (" + perSecond(encode) + ")", "-", "-", "-", "-"],
            ["codec: decode the signed block (\(codec.byteCount) B)", ms(decode, 3) + " (" + perSecond(decode) + ")", "-", "-", "-", "-"],
        ]
        tables.append(Table(
            title: "Block import: \(bench.attestationCount) attestations + \(bench.transactionCount) transfers, "
                + "\(bench.signatureCount) signatures, \(bench.validatorCount) validators",
            columns: ["measurement", "median", "per signature", "notes"],
            leftAligned: [0, 3],
            rows: [
                ["stateTransition, .verifyIndividually (1 core)", ms(verifying), perSignature(verifying),
                 "everything: slot, header, signatures, operations, state root"],
                ["stateTransition, .skip", ms(skipping), "",
                 "no signature checks: the non-crypto cost (" + fixed(100 * skipping / verifying, 1) + "% of the import)"],
                ["  of which: parsing the \(bench.transactionCount) sender keys", ms(median(single.senderKeyParsing), 3),
                 fixed(median(single.senderKeyParsing) / Double(max(bench.transactionCount, 1)) / 1000, 1) + " µs per key",
                 "processTransaction parses the sender address as a key (PublicKey(bytes:)) under every strategy"],
                ["stateTransition, .collect", ms(median(single.collect)), "", "signatures gathered for the bulk check, not checked"],
                ["signature checks, verifyAll 1 chunk (1 core)", ms(median(single.verifyOneChunk)),
                 perSignature(median(single.verifyOneChunk)), "thread CPU time, pinned"],
            ] + parallelRows,
            notes: [
                "machine idle just before the all-cores rows: \(idleText) of all CPUs over 1 s; other processes kept "
                    + "\(parallelOthers) cores busy during them and \(blockLoad.describe()) during the whole section"
                    + ((idle ?? 1) < 0.9 ? " - OTHER PROCESSES WERE RUNNING, so the wall-clock and speed-up rows understate what the cores can do" : ""),
                "signatures: 1 proposer + \(bench.attestationCount) attestations + \(bench.transactionCount) transfers "
                    + "(RANDAO reveals are hash-chain preimages, not signatures)",
                "each import runs on a fresh copy of the pre-state (slot 1, the block at slot 2), so the copy-on-write of "
                    + "the state and the slot's processSlots (one state root) are included",
                "single-core rows (the first five): thread CPU time, main thread pinned, median of \(options.blockRuns) rounds "
                    + "(strategies interleaved); wall rows: median of \(options.parallelRuns) rounds, each running the one-core "
                    + "checks on every CPU and the all-cores checks back to back (order rotating); speed-ups are medians of the "
                    + "rounds' ratios",
                "the cores of a VM need not be equally fast (a vCPU may share its physical core with another guest): "
                    + "compare the one-core rows; one equal chunk per core then waits for the slowest core, which is why verifyAll "
                    + "hands out \(ParallelSignatureVerifier.chunksPerCore) smaller chunks per core",
            ]))
    }

    pinForSingleCore()

    // MARK: 2. Epoch processing
    if options.sections.contains(.epoch) {
        let epochLoad = OtherLoad()
        progress("epoch processing: driving \(options.epochValidators) validators through epoch \(options.epoch) "
            + "(signatures off while building)...")
        let bench = try EpochBench(validatorCount: options.epochValidators, epoch: options.epoch)
        progress("epoch processing: built in \(fixed(bench.buildSeconds, 1)) s; \(options.epochRuns) rounds...")
        let result = try bench.measure(runs: options.epochRuns)
        var rows: [[String]] = [
            ["processSlots across the boundary", ms(median(result.processSlots)),
             "processSlot (state root of slot \(bench.pre.slot)) + processEpoch, on a fresh copy (registry copy-on-write included)"],
            ["  processSlot", ms(median(result.processSlot)),
             "state root of the ending slot: the field leaves, incl. both pending-attestation lists, re-hashed"],
            ["  processEpoch", ms(median(result.processEpoch)), "registry already unique"],
        ]
        for (index, step) in EpochBench.steps.enumerated() {
            rows.append(["    " + step.name, ms(median(result.steps[index]), 3), ""])
        }
        rows.append(["state root after the epoch (hashTreeRoot)", ms(median(result.stateRoot)),
                     "\(result.validatorsChanged) of \(bench.validatorCount) validator leaves changed, re-hashed from the touched set"])
        let slotsPerEpoch = bench.pre.preset.slotsPerEpoch
        let epochName = "\(bench.validatorCount) validators"
        summaryRows += [
            ["epoch processing: processEpoch (\(epochName))", ms(median(result.processEpoch)), "-", "-", "-", "-"],
            ["epoch processing: processSlots across the boundary (\(epochName))", ms(median(result.processSlots)), "-", "-", "-", "-"],
            ["state root: processSlot's state root (\(epochName))", ms(median(result.processSlot)), "-", "-", "-", "-"],
            ["state root: hashTreeRoot after the epoch (\(result.validatorsChanged) validators changed)",
             ms(median(result.stateRoot)), "-", "-", "-", "-"],
        ]
        tables.append(Table(
            title: "Epoch processing: \(bench.validatorCount) validators, boundary after epoch \(bench.epoch)",
            columns: ["measurement", "median", "notes"],
            leftAligned: [0, 2],
            rows: rows,
            notes: [
                "state: devnet chain from genesis to slot \(bench.pre.slot) (last slot of epoch \(bench.epoch)), one block per slot, "
                    + "every committee attesting to the head with the right source and target, included one slot later; "
                    + "pending attestations: \(bench.previousEpochAttestations) previous epoch, \(bench.currentEpochAttestations) current "
                    + "(the last slot's votes are not yet included); after the boundary: justified epoch \(result.justifiedEpoch), "
                    + "finalized epoch \(result.finalizedEpoch)",
                "other processes kept \(epochLoad.describe()) cores busy on average during this section",
                "built with signatures off (zero signatures, .skip) in \(fixed(bench.buildSeconds, 1)) s; epoch processing checks no signatures",
                "thread CPU time, median of \(options.epochRuns) rounds after a warm-up; the step rows run processEpoch's steps one by one "
                    + "and their result is checked against processEpoch's (\(slotsPerEpoch) slots per epoch)",
            ]))
    }

    // MARK: 3. Simulator
    if options.sections.contains(.sim) {
        var plan: [(Int, UInt64, Bool)] = []
        // (validators, epochs, skipSignatures): with signatures first, then the scale-run switch.
        if options.simEpochs1k > 0 { plan += [(1_000, options.simEpochs1k, false), (1_000, options.simEpochs1k, true)] }
        if options.simEpochs10k > 0 {
            if options.signed10k { plan.append((10_000, options.simEpochs10k, false)) }
            plan.append((10_000, options.simEpochs10k, true))
        }
        var rows: [[String]] = []
        for (validators, epochs, skip) in plan {
            progress("simulator: \(validators) validators, \(epochs) epochs" + (skip ? ", SIGNATURES SKIPPED" : ", with signatures") + "...")
            let simLoad = OtherLoad()
            let run = try SimBench.run(validatorCount: validators, epochs: epochs, skipSignatures: skip)
            progress("  \(fixed(run.wallSeconds, 1)) s, \(fixed(run.slotsPerSecond, 2)) slots/s, peak RSS \(run.peakResidentMB) MB")
            if validators == 10_000 && skip {
                // Issue 11's targets: 20 simulated slots/s and under 500 MB peak RSS.
                let slotsTarget = 20.0
                let rssTarget = 500
                summaryRows += [
                    ["keel sim: 10,000 validators, signatures skipped (slots/s)", fixed(run.slotsPerSecond, 2) + " slots/s",
                     fixed(slotsTarget, 0) + " slots/s target", fixed(run.slotsPerSecond / slotsTarget, 2) + "x of target",
                     ">= 1.00x", run.slotsPerSecond >= slotsTarget ? "yes" : "NO"],
                    ["keel sim: 10,000 validators, signatures skipped (peak RSS)", "\(run.peakResidentMB) MB",
                     "\(rssTarget) MB target", fixed(Double(run.peakResidentMB) / Double(rssTarget), 2) + "x of limit",
                     "<= 1.00x", run.peakResidentMB < rssTarget ? "yes" : "NO"],
                ]
            }
            if validators == 10_000 && !skip, let limit = simCheckLimit {
                // Issue 11: the simulator's verification rate against libsecp256k1's on all cores.
                summaryRows.append([
                    "keel sim: 10,000 validators, with signatures (verifications/s)", fixed(run.checksPerSecond, 0) + " checks/s",
                    fixed(limit, 0) + " checks/s (libsecp256k1, all cores)", fixed(run.checksPerSecond / limit, 2) + "x of limit",
                    "ratio", "-",
                ])
            }
            rows.append([
                String(validators), String(run.nodeCount), "\(epochs) (\(run.slots) slots)",
                skip ? "SKIPPED" : "made and checked", fixed(run.slotsPerSecond, 2), fixed(run.wallSeconds, 1),
                fixed(run.cpuSeconds, 1), fixed(run.setupSeconds, 1), String(run.signatureChecks), String(run.blocksImported),
                String(run.messagesDelivered), String(run.finalizedEpoch), fixed(100 * run.lastParticipation, 1) + "%",
                simLoad.describe(),
            ])
        }
        var notes = [
            "Simulator(SimConfig(validatorCount:, epochs:, seed: 1, skipSignatures:)) with the default network "
                + "(nodes = min(validators, 8), latency 50 ms, no loss); slots/s = epochs × 8 / wall seconds of run(), "
                + "as `keel sim` reports it; set-up (keys, RANDAO chains, genesis) timed apart",
            "signatures SKIPPED = the simulator's scale-run switch (no signature made or checked), off by default",
            "single-threaded, main thread pinned as above; others' load = cores other processes kept busy during the run "
                + "(wall time suffers when it is high)",
        ]
        if options.simEpochs10k > 0 && !options.signed10k {
            notes.append("the 10,000-validator simulation with signatures was not run (--no-signed-10k or --quick)")
        }
        tables.append(Table(
            title: "Simulator speed",
            columns: ["validators", "nodes", "epochs", "signatures", "slots/s", "run s (wall)", "run s (CPU)",
                      "set-up s", "signature checks", "block imports", "messages", "finalized", "last participation", "others' load"],
            leftAligned: [3], rows: rows, notes: notes))
    }

    let command = (["ChainBench"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
    let preamble = [
        "date: \(machine.date)",
        "machine: \(machine.cpuModel), \(machine.coreCount) cores online, process started on CPU(s) \(machine.cpusAllowed)",
        "single-core measurements: \(pinNote)"
            + (options.sections.contains(.block) ? "; the all-cores signature checks ran before pinning, unpinned" : ""),
        "load average (1 min) at start \(loadAtStart), at end \(Machine.loadAverage())"
            + " (other processes share the machine: the parallel figures need it idle)",
        "command: `\(command)`" + (options.quick ? " (QUICK: fewer runs and epochs)" : ""),
        "release build (`swift build -c release --product ChainBench` in Benchmarks/)",
    ]
    let report = Report(preamble: preamble, tables: tables, footer: footer)
    print("")
    print(report.text())
    if let path = options.markdownPath {
        try report.markdown().write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    }
    if let path = options.summaryRowsPath {
        let text = summaryRows.map { $0.joined(separator: "\t") + "\n" }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
} catch {
    print("ChainBench: \(error)")
    exit(1)
}
