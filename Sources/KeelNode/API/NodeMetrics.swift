import KeelChain
import Prometheus

/// The node's Prometheus metrics, served as text at `GET /metrics`.
///
/// One object the node updates as it runs. It writes to its own `PrometheusCollectorRegistry`
/// rather than the global `MetricsSystem`, so tests create isolated instances; a node that also
/// wants swift-metrics users (Hummingbird, NIO) in the same output bootstraps `MetricsSystem`
/// with ``metricsFactory`` once, at startup.
///
/// - Important: Thread-safe: every metric is a lock-protected swift-prometheus value, so any task
///   may update it.
public final class NodeMetrics: Sendable {
    /// The registry every metric below lives in.
    public let registry: PrometheusCollectorRegistry

    /// Upper bounds, in seconds, of the block import time histogram's buckets.
    public static let blockImportBucketsSeconds: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ]

    private let headSlot: Gauge
    private let justifiedEpoch: Gauge
    private let finalizedEpoch: Gauge
    private let peerCount: Gauge
    private let blocksValid: Counter
    private let blocksInvalid: Counter
    private let attestationsValid: Counter
    private let attestationsInvalid: Counter
    private let blockImportSeconds: ValueHistogram
    private let signingRefusals: Counter
    private let proofsProduced: Counter
    private let proofFailures: Counter
    private let provingSeconds: ValueHistogram

    /// Upper bounds, in seconds, of the proving time histogram's buckets.
    public static let provingBucketsSeconds: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
    ]

    /// Creates the metrics in `registry`.
    ///
    /// - Parameter registry: Where the metrics live; a fresh registry by default. Two
    ///   `NodeMetrics` must not share one (swift-prometheus would hand both the same metrics).
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        headSlot = registry.makeGauge(name: "keel_head_slot", help: "Slot of the fork-choice head block.")
        justifiedEpoch = registry.makeGauge(name: "keel_justified_epoch", help: "Epoch of the justified checkpoint.")
        finalizedEpoch = registry.makeGauge(name: "keel_finalized_epoch", help: "Epoch of the finalized checkpoint.")
        peerCount = registry.makeGauge(name: "keel_peer_count", help: "Connected peers.")
        let blocksHelp = "Blocks received from peers, by validation result."
        blocksValid = registry.makeCounter(
            name: "keel_blocks_received_total", labels: [("result", "valid")], help: blocksHelp)
        blocksInvalid = registry.makeCounter(
            name: "keel_blocks_received_total", labels: [("result", "invalid")], help: blocksHelp)
        let attestationsHelp = "Attestations received from peers, by validation result."
        attestationsValid = registry.makeCounter(
            name: "keel_attestations_received_total", labels: [("result", "valid")], help: attestationsHelp)
        attestationsInvalid = registry.makeCounter(
            name: "keel_attestations_received_total", labels: [("result", "invalid")], help: attestationsHelp)
        blockImportSeconds = registry.makeValueHistogram(
            name: "keel_block_import_seconds", buckets: Self.blockImportBucketsSeconds,
            help: "Time to validate and import one block (state transition and fork choice), in seconds.")
        signingRefusals = registry.makeCounter(
            name: "keel_signing_refusals_total",
            help: "Signatures the slashing protection database refused (double or surround votes, double proposals).")
        proofsProduced = registry.makeCounter(
            name: "keel_proofs_produced_total", help: "Blocks this prover node proved and stored (STUB proof system).")
        proofFailures = registry.makeCounter(
            name: "keel_proof_failures_total",
            help: "Blocks this prover node failed to prove or store, or dropped because its proving queue was full.")
        provingSeconds = registry.makeValueHistogram(
            name: "keel_proving_seconds", buckets: Self.provingBucketsSeconds,
            help: "Time to prove one block (trace, witnesses, proof) and store the result, in seconds.")
        precondition(Self.provingBucketsSeconds == Self.provingBucketsSeconds.sorted(), "buckets ascend")
        precondition(Self.blockImportBucketsSeconds == Self.blockImportBucketsSeconds.sorted(), "buckets ascend")
        precondition(Self.blockImportBucketsSeconds.allSatisfy { $0 > 0 }, "bucket bounds are positive")
    }

    /// A swift-metrics factory writing to ``registry``, for `MetricsSystem.bootstrap` in the
    /// executable (never in library code, which must stay bootstrappable by its host).
    public var metricsFactory: PrometheusMetricsFactory {
        PrometheusMetricsFactory(registry: registry)
    }

    /// Records the head block's slot.
    public func setHeadSlot(_ slot: Slot) {
        headSlot.set(Double(slot.rawValue))
    }

    /// Records the store's justified and finalized checkpoints.
    public func setCheckpoints(justified: Checkpoint, finalized: Checkpoint) {
        precondition(finalized.epoch <= justified.epoch, "finality never runs ahead of justification")
        justifiedEpoch.set(Double(justified.epoch.rawValue))
        finalizedEpoch.set(Double(finalized.epoch.rawValue))
    }

    /// Records the head slot and the checkpoints of one snapshot.
    public func update(from snapshot: HeadSnapshot) {
        setHeadSlot(snapshot.state.slot)
        setCheckpoints(justified: snapshot.justified, finalized: snapshot.finalized)
    }

    /// Records the number of connected peers.
    public func setPeerCount(_ count: Int) {
        precondition(count >= 0, "a peer count is never negative")
        peerCount.set(Double(count))
    }

    /// Counts a block received from a peer.
    ///
    /// - Parameter valid: Whether it passed validation (decoding, signature, state transition).
    public func recordBlockReceived(valid: Bool) {
        (valid ? blocksValid : blocksInvalid).increment()
    }

    /// Counts an attestation received from a peer.
    ///
    /// - Parameter valid: Whether it passed validation.
    public func recordAttestationReceived(valid: Bool) {
        (valid ? attestationsValid : attestationsInvalid).increment()
    }

    /// Records how long importing one block took.
    public func recordBlockImport(seconds: Double) {
        precondition(seconds >= 0, "a duration is never negative")
        blockImportSeconds.record(seconds)
    }

    /// Records how long importing one block took.
    public func recordBlockImport(_ duration: Duration) {
        let components = duration.components
        recordBlockImport(seconds: max(0, Double(components.seconds) + Double(components.attoseconds) * 1e-18))
    }

    /// Counts a signature the slashing protection database refused to make.
    public func recordSigningRefusal() {
        signingRefusals.increment()
    }

    /// Counts a proven block and records how long proving and storing it took.
    public func recordProof(_ duration: Duration) {
        let components = duration.components
        let seconds = max(0, Double(components.seconds) + Double(components.attoseconds) * 1e-18)
        precondition(seconds.isFinite, "a duration is finite")
        proofsProduced.increment()
        provingSeconds.record(seconds)
    }

    /// Counts a block that was not proven (the proof failed, storing it failed, or the queue
    /// was full).
    public func recordProofFailure() {
        proofFailures.increment()
    }

    /// The metrics in the Prometheus text exposition format (version 0.0.4).
    public func exposition() -> String {
        registry.emitToString()
    }
}
