import Foundation
import KeelChain
@testable import KeelNode
import KeelTestSupport
import XCTest

/// Issue 4, item 7: across SIGKILL restarts no honest validator ever signs a slashable pair.
///
/// A 4-node testnet (all honest) runs while an in-process observer `PeerNetwork` dials every
/// node and records every block and attestation on the wire. Three times, one of nodes 1...3
/// (seeded choice) is SIGKILLed at a seeded point within a slot and restarted at once, so it
/// re-runs its duties from its slashing-protection database. Once all nodes finalize past the
/// kills and agree, every recorded message is checked: no validator signed two attestations
/// that `isSlashableAttestationData` finds slashable (either order), and no proposer signed two
/// different blocks for one slot; and the check must not be vacuous.
final class WireSafetyTests: XCTestCase {
    private var harness: TestnetHarness?
    private var observer: PeerNetwork?
    private var consumer: Task<Void, Never>?

    override func tearDown() async throws {
        if let observer { await observer.shutdown() }
        consumer?.cancel()
        let failed = !(testRun?.hasSucceeded ?? false)
        if let harness { await offPoolQuietly { harness.close(printingLogsIf: failed) } }
        observer = nil
        harness = nil
        consumer = nil
        try await super.tearDown()
    }

    func testNoHonestValidatorSignsASlashablePairAcrossSIGKILLRestarts() async throws {
        let seed: UInt64 = 0x4B45_454C_0007
        var random = SplitMix64(seed: seed)
        let started = Date()
        let harness = try TestnetHarness(name: "wire-safety")
        self.harness = harness
        let upOutcome = try await offPool { try harness.run(["up", "--detach", "--validators", "4", "--nodes", "4", "--slot-ms", "250"]) }
        XCTAssertEqual(upOutcome.status, 0, "keel testnet up: \(upOutcome.standardError)")
        guard upOutcome.status == 0 else { return }
        let manifestPath = harness.directory.appendingPathComponent("testnet.json").path
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: manifestPath) {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let manifest = try TestnetManifestFile.load(harness.directory)
        XCTAssertEqual(manifest.nodes.count, 4)
        let genesis = try GenesisFile.load(path: harness.directory.appendingPathComponent("genesis.json").path)
        XCTAssertEqual(genesis.genesisRoot.hex, manifest.genesis_root)

        // The observer: genesis status, empty provider, dials all four nodes and keeps redialling.
        let root = genesis.genesisRoot
        var config = PeerNetworkConfig(genesisRoot: root, nodeID: random.next() | 1)
        config.bootstrapPeers = manifest.nodes.map { PeerAddress(host: manifest.host, port: $0.p2p_port) }
        config.redialDelayMsMin = 50
        config.redialDelayMsMax = 250
        config.handshakeTimeoutMs = 2_000
        let status = ChainStatus(headRoot: root, headSlot: 0, finalized: Checkpoint(epoch: 0, root: root))
        let observer = PeerNetwork(config: config, status: status, provider: EmptyBlockProvider())
        self.observer = observer
        let recorder = WireRecorder()
        let events = observer.events
        consumer = Task {
            for await event in events {
                switch event {
                case .message(_, .block(let block)): await recorder.record(block: block)
                case .message(_, .attestation(let attestation)): await recorder.record(attestation: attestation)
                case .connected: await recorder.connected()
                default: break
                }
            }
        }
        _ = try await observer.start()

        // Finality on every node before the kills.
        let (beforeKills, finalized) = try await offPool {
            try harness.wait(45) { status in status.nodes.allSatisfy { ($0.finalized_epoch ?? 0) >= 1 } }
        }
        XCTAssertTrue(finalized, "all nodes finalize epoch 1: \(Self.describe(beforeKills))")
        guard finalized else { return }
        let finalizedBefore = beforeKills.nodes.map { $0.finalized_epoch ?? 0 }.max() ?? 0
        let connectedPeers = await observer.peers().filter { $0.hello != nil }.count
        XCTAssertEqual(connectedPeers, 4, "the observer is connected to every node")

        // Three crashes: SIGKILL at a seeded point within a slot, restart at once.
        var restarts: [Restart] = []
        for round in 0..<3 {
            let node = 1 + Int(random.next() % 3)
            let offsetMs = random.next() % manifest.slot_ms
            let nowMs = UInt64(Date().timeIntervalSince1970 * 1000)
            let nextSlotStartMs = manifest.genesis_time_ms + (manifest.slot(atMs: nowMs) + 1) * manifest.slot_ms
            let killAtMs = nextSlotStartMs + offsetMs
            try await Task.sleep(nanoseconds: (killAtMs - nowMs) * 1_000_000)
            let killedAt = Date()
            let killSlot = manifest.slot(atMs: UInt64(killedAt.timeIntervalSince1970 * 1000))
            let killOutcome = try await offPool { try harness.run(["kill", "\(node)"]) }
            XCTAssertEqual(killOutcome.status, 0, "kill \(node): \(killOutcome.standardError)")
            let restartOutcome = try await offPool { try harness.run(["restart", "\(node)"]) }
            XCTAssertEqual(restartOutcome.status, 0, "restart \(node): \(restartOutcome.standardError)")
            let restartedAt = Date()
            print("WireSafety round \(round): node \(node) SIGKILLed at slot \(killSlot) + \(offsetMs) ms, restarted")
            restarts.append(Restart(node: node, killSlot: killSlot, restartedAt: restartedAt))
            // Let it come back and report a head past the kill before the next crash.
            let (afterRestart, live) = try await offPool {
                try harness.wait(20) { status in status.nodes[node].running && status.headSlot(node) > killSlot + 1 }
            }
            XCTAssertTrue(live, "node \(node) runs again after restart \(round): \(Self.describe(afterRestart))")
        }

        // Recovery: every node finalizes past the kills, and all agree.
        let (after, recovered) = try await offPool {
            try harness.wait(60) { status in
                status.nodes.allSatisfy { $0.running && ($0.finalized_epoch ?? 0) > finalizedBefore }
                    && Set(status.nodes.map { "\($0.finalized_epoch ?? 0)/\($0.finalized_root ?? "")" }).count == 1
            }
        }
        XCTAssertTrue(recovered, "all nodes finalize past epoch \(finalizedBefore) and agree: \(Self.describe(after))")
        // Until every validator's vote after the last restart is on the wire (a few epochs at
        // most), then a slot more so the last votes reach the observer.
        let lastRestartEpoch = (restarts.last?.killSlot ?? 0) / manifest.slots_per_epoch
        let everyoneVotedDeadline = Date().addingTimeInterval(Double(4 * manifest.slots_per_epoch * manifest.slot_ms) / 1_000)
        while Date() < everyoneVotedDeadline {
            let voters = Set(await recorder.attestations.filter { $0.attestation.data.target.epoch.rawValue > lastRestartEpoch }
                .map(\.attestation.validatorIndex.rawValue))
            if voters.count >= manifest.validator_count { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        try await Task.sleep(nanoseconds: manifest.slot_ms * 1_000_000)
        await observer.shutdown()
        consumer?.cancel()

        let attestations = await recorder.attestations
        let blocks = await recorder.blocks
        let connections = await recorder.connectionCount
        print(
            "WireSafety: \(attestations.count) attestations, \(blocks.count) blocks, \(connections) observer handshakes,"
                + " \(String(format: "%.1f", Date().timeIntervalSince(started))) s")

        for (validator, signed) in Dictionary(grouping: attestations, by: { $0.attestation.validatorIndex }).sorted(by: { $0.key < $1.key }) {
            print("WireSafety: validator \(validator) votes (slot/target epoch): " + signed.map { "\($0.attestation.data.slot)/\($0.attestation.data.target.epoch)" }.joined(separator: " "))
        }

        // (1) No slashable attestation pair per validator (double vote or surround, either order).
        var slashable: [String] = []
        let byValidator = Dictionary(grouping: attestations) { $0.attestation.validatorIndex }
        for (validator, signed) in byValidator.sorted(by: { $0.key < $1.key }) {
            let distinct = Self.distinct(signed) { $0.attestation.data }
            for i in distinct.indices {
                for j in distinct.indices where j > i {
                    let a = distinct[i].attestation.data, b = distinct[j].attestation.data
                    if isSlashableAttestationData(a, b) || isSlashableAttestationData(b, a) {
                        slashable.append("validator \(validator): \(Self.describe(distinct[i])) vs \(Self.describe(distinct[j]))")
                    }
                }
            }
        }
        XCTAssertEqual(slashable, [], "slashable attestation pairs on the wire:\n" + slashable.joined(separator: "\n"))

        // (2) No two different blocks with one proposer and one slot.
        var doubleProposals: [String] = []
        let byProposal = Dictionary(grouping: blocks) { ProposalKey(proposer: $0.block.message.proposerIndex, slot: $0.block.message.slot) }
        for (key, signed) in byProposal.sorted(by: { ($0.key.slot, $0.key.proposer) < ($1.key.slot, $1.key.proposer) }) {
            let distinct = Self.distinct(signed) { $0.block.message }
            if distinct.count > 1 {
                doubleProposals.append(
                    "proposer \(key.proposer) slot \(key.slot): "
                        + distinct.map { "root \($0.block.message.hashTreeRoot.hex.prefix(16)) at +\(Self.elapsed($0.receivedAt, since: started))" }
                        .joined(separator: ", "))
            }
        }
        XCTAssertEqual(doubleProposals, [], "double proposals on the wire:\n" + doubleProposals.joined(separator: "\n"))

        // (3) Not vacuous: votes from every validator after the first kill, and from each
        // restarted node's validators after its restart; blocks after each restart.
        let firstKillEpoch = (restarts.first?.killSlot ?? 0) / manifest.slots_per_epoch
        for validator in 0..<UInt64(manifest.validator_count) {
            XCTAssertTrue(
                attestations.contains { $0.attestation.validatorIndex.rawValue == validator && $0.attestation.data.target.epoch.rawValue > firstKillEpoch },
                "validator \(validator) has attestations on the wire after epoch \(firstKillEpoch) (of the first kill)")
        }
        for restart in restarts {
            let restartEpoch = restart.killSlot / manifest.slots_per_epoch
            for validator in manifest.nodes[restart.node].validators {
                XCTAssertTrue(
                    attestations.contains { $0.attestation.validatorIndex.rawValue == validator && $0.attestation.data.target.epoch.rawValue > restartEpoch },
                    "validator \(validator) (node \(restart.node)) attests after its restart in epoch \(restartEpoch)")
            }
            XCTAssertTrue(
                blocks.contains { $0.receivedAt > restart.restartedAt && $0.block.message.slot.rawValue > restart.killSlot },
                "a block is on the wire after node \(restart.node)'s restart at slot \(restart.killSlot)")
        }
        let proposers = Set(blocks.map(\.block.message.proposerIndex))
        XCTAssertGreaterThanOrEqual(proposers.count, 3, "blocks from at least 3 proposers: \(proposers.sorted())")

        // What slashing protection refused (expected after a crash between signing and
        // broadcasting), and on a failure every line about signing.
        let failedChecks = !slashable.isEmpty || !doubleProposals.isEmpty
        for node in manifest.nodes.map(\.index) {
            let log = (try? String(contentsOf: harness.directory.appendingPathComponent("node\(node)/node.log"), encoding: .utf8)) ?? ""
            let lines = log.split(separator: "\n").filter {
                $0.contains("refused") || (failedChecks && ($0.contains("slashing") || $0.contains("signing")))
            }
            if !lines.isEmpty { print("--- node \(node): slashing-protection lines ---\n" + lines.suffix(40).joined(separator: "\n")) }
        }
    }

    // MARK: - Helpers

    private struct Restart {
        var node: Int
        var killSlot: UInt64
        var restartedAt: Date
    }

    private struct ProposalKey: Hashable {
        var proposer: ValidatorIndex
        var slot: Slot
    }

    /// The entries with distinct keys, first seen first.
    private static func distinct<T, Key: Hashable>(_ entries: [T], by key: (T) -> Key) -> [T] {
        var seen = Set<Key>()
        return entries.filter { seen.insert(key($0)).inserted }
    }

    private static func elapsed(_ date: Date, since start: Date) -> String {
        String(format: "%.2f s", date.timeIntervalSince(start))
    }

    private static func describe(_ entry: WireRecorder.SeenAttestation) -> String {
        let data = entry.attestation.data
        return "[slot \(data.slot) head \(data.beaconBlockRoot.hex.prefix(12)) source \(data.source.epoch)/\(data.source.root.hex.prefix(12))"
            + " target \(data.target.epoch)/\(data.target.root.hex.prefix(12)) sig \(entry.attestation.signature.hex.prefix(16)) at \(entry.receivedAt.timeIntervalSince1970)]"
    }

    private static func describe(_ status: TestnetHarness.Status) -> String {
        "slot \(status.slot): "
            + status.nodes.map {
                "node \($0.node) running \($0.running) head \($0.head_slot.map(String.init) ?? "-") justified \($0.justified_epoch.map(String.init) ?? "-")"
                    + " finalized \($0.finalized_epoch.map(String.init) ?? "-")/\($0.finalized_root?.prefix(12) ?? "-") peers \($0.peers.map(String.init) ?? "-")"
                    + ($0.last_error.map { " error \($0)" } ?? "")
            }.joined(separator: "; ")
    }
}

/// Every block and attestation the observer saw, with when it arrived.
private actor WireRecorder {
    struct SeenAttestation: Sendable {
        var attestation: Attestation
        var receivedAt: Date
    }

    struct SeenBlock: Sendable {
        var block: SignedBlock
        var receivedAt: Date
    }

    private(set) var attestations: [SeenAttestation] = []
    private(set) var blocks: [SeenBlock] = []
    private(set) var connectionCount = 0

    func record(attestation: Attestation) { attestations.append(SeenAttestation(attestation: attestation, receivedAt: Date())) }
    func record(block: SignedBlock) { blocks.append(SeenBlock(block: block, receivedAt: Date())) }
    func connected() { connectionCount += 1 }
}
