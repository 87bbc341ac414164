// LimitsBench: the crypto limits of the suite, the machine's two-core ceiling, and the summary.
//
// 1. Two-thread upper bound: the libsecp256k1 verify loop on one core, then on two cores at
//    once with independent copies of the work: the most any parallel signature check can get.
// 2. Schnorr verify and sign through KeelCrypto against libsecp256k1 called directly (target:
//    verify at least 95% of the direct speed).
// 3. SHA-256 through KeelCrypto against `openssl speed -evp sha256` on 64-byte and 1 KiB inputs
//    (target: at least 80%).
// 4. The summary of `make bench`: these rows plus those VMRatio and ChainBench wrote (`--rows`),
//    as one table (benchmark | ours | limit | ratio | target | met?), and results/summary.md.
//
// Run as `scripts/bench` does, not under taskset (part 1 needs both cores; the program pins
// itself afterwards):
//   swift build -c release --product LimitsBench && .build/release/LimitsBench --pin-cpu 1
import BenchSupport
import Foundation
import KeelNode

guard let options = Options.parse(Array(CommandLine.arguments.dropFirst())) else {
    print(Options.usage)
    exit(2)
}

func progress(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let loadAtStart = Machine.loadAverage()
var rows: [SummaryRow] = []
var notes: [String] = []

// MARK: 1. Two-thread upper bound (unpinned)
progress("limits: signing \(options.keyCount) messages for the Schnorr and two-thread measurements...")
let schnorr = SchnorrBench(count: options.keyCount)
progress("limits: two-thread upper bound, \(options.boundRuns) rounds...")
let boundLoad = OtherLoad()
if let bound = ParallelBound(bench: schnorr).measure(runs: options.boundRuns) {
    let perVerify = { (ns: Double) in fixed(ns / Double(options.keyCount) / 1000, 1) + " µs" }
    let alone = bound.cpus.indices.map { "CPU \(bound.cpus[$0]) " + perVerify(median(bound.alone[$0])) }
    let onCPU = bound.cpus.indices.map { "\(fixed(100 * median(bound.onCPUTogether[$0]), 0))% (CPU \(bound.cpus[$0]))" }
    let slowdown = bound.cpus.indices.map { "\(fixed(median(bound.slowdownTogether[$0]), 2))x (CPU \(bound.cpus[$0]))" }
    let cpuSlowdown = bound.cpus.indices.map { "\(fixed(median(bound.cpuSlowdownTogether[$0]), 2))x (CPU \(bound.cpus[$0]))" }
    rows.append(SummaryRow(
        "machine ceiling: 2 independent threads of secp256k1 verify vs 1 (no Keel code)",
        ours: fixed(bound.speedup, 2) + "x", limit: "2.00x (two full cores)", ratio: fixed(bound.speedup / 2 * 100, 1) + "%"))
    rows.append(SummaryRow(
        "signature checks, all cores: verifyAll (\(ParallelSignatureVerifier.defaultChunkCount) chunks) vs the machine ceiling, same rounds",
        ours: fixed(bound.verifyAllSpeedup, 2) + "x over 1 core", limit: fixed(bound.speedup, 2) + "x machine ceiling",
        ratio: fixed(100 * bound.verifyAllShareOfCeiling, 1) + "%"))
    notes.append("two-thread upper bound: one verify pass = \(options.keyCount) direct secp256k1_schnorrsig_verify calls; "
        + "alone (wall per verify): \(alone.joined(separator: ", ")); both at once, each pinned to its own CPU: "
        + "\(perVerify(median(bound.together))) per verify per thread (wall until both finish), both unpinned "
        + "\(perVerify(median(bound.togetherUnpinned))); speed-up = median over \(options.boundRuns) rounds of 2 x fastest "
        + "alone / the faster of the two together runs = \(fixed(bound.speedup, 2))x; while both ran pinned, each "
        + "thread was on its CPU for \(onCPU.joined(separator: ", ")) of the wall time and took \(slowdown.joined(separator: ", ")) "
        + "its wall time alone, \(cpuSlowdown.joined(separator: ", ")) its thread CPU time alone; steal \(fixed(bound.stealPerSecond, 1)) ticks/s; other processes kept \(boundLoad.describe()) "
        + "cores busy; in the same rounds, on the same \(options.keyCount) signatures: verifyAll with its default "
        + "\(ParallelSignatureVerifier.defaultChunkCount) chunks " + fixed(bound.verifyAllSpeedup, 2) + "x over the fastest core alone, "
        + "with one chunk per core " + fixed(bound.verifyAllPerCoreSpeedup, 2) + "x")
    notes.append("reading the block-import target (>= 1.70x on 2 cores, wall clock): the machine ceiling row is what two "
        + "threads with no shared work, no chunking and no Keel code got from this machine in this run ("
        + fixed(bound.speedup, 2) + "x); "
        + (bound.speedup < 1.7
            ? "it is below 1.70x, so no code could meet the target in this run: other processes held the CPUs (see the "
                + "on-CPU share and the thread CPU time ratios above)"
            : "it is at or above 1.70x in these rounds")
        + "; verifyAll reached " + fixed(100 * bound.verifyAllShareOfCeiling, 1) + "% of the ceiling in the same rounds. "
        + "ChainBench's block-import row ran a minute or more earlier, under whatever load the machine had then "
        + "(results/chain.md notes how many cores other processes held during it): compare it with the ceiling only "
        + "when both sections saw the same load")
} else {
    notes.append("two-thread upper bound: NOT RUN, fewer than 2 CPUs allowed")
}

// MARK: pin for the single-core parts
var pinNote = "not pinned (no --pin-cpu)"
if let cpu = options.pinCPU {
    pinNote = Affinity.set([cpu]) && Affinity.current() == [cpu]
        ? "main thread and `openssl speed` pinned to CPU \(cpu)" : "NOT pinned: CPU \(cpu) refused"
}
progress("limits: single-core parts: \(pinNote)")

// MARK: 2. Schnorr
progress("limits: Schnorr sign and verify, \(options.schnorrRuns) rounds of \(options.keyCount)...")
let schnorrLoad = OtherLoad()
let (verify, sign) = schnorr.measure(runs: options.schnorrRuns)
func perOperation(_ times: [Double]) -> String {
    let ns = median(times) / Double(options.keyCount)
    return fixed(ns / 1000, 1) + " µs (" + fixed(1e9 / ns / 1000, 1) + "k/s)"
}
rows.append(SummaryRow(
    "Schnorr verify: PublicKey.isValidSignature", ours: perOperation(verify.ours),
    limit: perOperation(verify.direct) + " secp256k1_schnorrsig_verify direct",
    ratio: speedFraction(verify), target: 0.95, higherIsBetter: true, percent: true))
rows.append(SummaryRow(
    "Schnorr sign: SecretKey.sign", ours: perOperation(sign.ours),
    limit: perOperation(sign.direct) + " secp256k1_schnorrsig_sign32 direct",
    ratio: speedFraction(sign), target: 0.95, higherIsBetter: true, percent: true))
notes.append("Schnorr: \(options.keyCount) devnet keys, distinct 32-byte messages; the direct side uses pre-parsed "
    + "secp256k1_xonly_pubkey / secp256k1_keypair values and a randomized context of its own (as KeelCrypto does); thread "
    + "CPU time of one pass over all keys, sides back to back in alternating order, ratio = median over "
    + "\(options.schnorrRuns) rounds of direct time / our time (the sign target is the verify one, applied for "
    + "information); other processes kept \(schnorrLoad.describe()) cores busy")

// MARK: 3. SHA-256
for (size, iterations) in [(64, options.quick ? 60_000 : 150_000), (1024, options.quick ? 10_000 : 25_000)] {
    progress("limits: SHA-256 on \(size)-byte inputs against `openssl speed`, \(options.shaRuns) rounds...")
    let shaLoad = OtherLoad()
    let paths = SHA256Bench.Path.allCases.filter { size == 64 || $0 != .keelNode }
    var rates = [SHA256Bench.Path: [Double]]()
    var openssl: [Double] = []
    var ratios = [SHA256Bench.Path: [Double]]()
    for round in -1..<options.shaRuns {
        var now = [SHA256Bench.Path: Double]()
        for path in paths { now[path] = SHA256Bench.rate(path, size: size, iterations: iterations) }
        guard round >= 0 else { continue }
        guard let limit = OpenSSLSpeed.sha256(size: size, seconds: 1, cpu: options.pinCPU) else {
            notes.append("SHA-256 \(size) B: `openssl speed` failed or printed no +F line")
            break
        }
        openssl.append(limit)
        for path in paths {
            rates[path, default: []].append(now[path]!)
            ratios[path, default: []].append(now[path]! / limit)
        }
    }
    guard !openssl.isEmpty else { continue }
    for path in [SHA256Bench.Path.keelBytes, .keelNode] where paths.contains(path) {
        let ratio = median(ratios[path]!)
        rows.append(SummaryRow(
            "SHA-256 \(size) B: \(path.name)", ours: megabytes(median(rates[path]!)),
            limit: megabytes(median(openssl)) + " openssl speed -evp sha256 -bytes \(size)",
            ratio: ratio, target: 0.80, higherIsBetter: true, percent: true))
    }
    notes.append("SHA-256 \(size) B: \(iterations) hashes of one buffer per measurement, thread CPU time; `openssl speed "
        + "-mr -evp sha256 -bytes \(size) -seconds 1` (its own process, pinned to the same CPU; it divides by its user CPU "
        + "time) right after, once per round; ratio = median over \(options.shaRuns) rounds of ours / openssl; in-process "
        + "breakdown: \(SHA256Bench.Path.evpDigest.name) " + megabytes(median(rates[.evpDigest]!))
        + " (" + fixed(100 * median(ratios[.evpDigest]!), 1) + "% of openssl speed); other processes kept "
        + "\(shaLoad.describe()) cores busy")
}

// MARK: 4. The summary
for path in options.rowFiles { rows += SummaryRow.read(path) }
let targeted = rows.filter { $0.target != "-" }
let plain = rows.filter { $0.target == "-" }
let summary = Summary(
    rows: targeted + plain, notes: notes, command: options.command, pinNote: pinNote,
    loadAverages: (loadAtStart, Machine.loadAverage()), quick: options.quick, uptime: options.uptime)
print("")
print(summary.text())
if let path = options.markdownPath {
    do {
        try summary.markdown().write(toFile: path, atomically: true, encoding: .utf8)
        print("wrote \(path)")
    } catch {
        print("LimitsBench: cannot write \(path): \(error)")
        exit(1)
    }
}
