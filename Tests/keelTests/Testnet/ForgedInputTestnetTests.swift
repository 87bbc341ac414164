import Foundation
import KeelChain
import KeelCrypto
@testable import KeelNode
import KeelSim
import KeelTestSupport
import XCTest

/// Issue 11: forged messages of every kind, sent to a live 4-node testnet on the peer port (a
/// transfer with a garbage signature and one signed by another account's key, a proposer
/// slashing and an attester slashing with garbage signatures, a vote with a garbage signature
/// that would pair with the validator's real one, a block with a garbage proposer signature)
/// and forged transactions through the API: every node keeps finalizing, no validator is
/// slashed, and the API answers 422 with the reason.
final class ForgedInputTestnetTests: XCTestCase {
    private var harness: TestnetHarness?
    private var forgerNetwork: PeerNetwork?

    override func tearDown() async throws {
        if let forgerNetwork { await forgerNetwork.shutdown() }
        let failed = !(testRun?.hasSucceeded ?? false)
        if let harness { await offPoolQuietly { harness.close(printingLogsIf: failed) } }
        forgerNetwork = nil
        harness = nil
        try await super.tearDown()
    }

    func testForgeriesOnThePeerPortAndTheAPINeitherHaltNorSlashAnyone() async throws {
        let harness = try TestnetHarness(name: "forged-input")
        self.harness = harness
        let up = try await offPool { try harness.run(["up", "--detach", "--validators", "4", "--nodes", "4", "--slot-ms", "250"]) }
        XCTAssertEqual(up.status, 0, "keel testnet up: \(up.standardError)")
        guard up.status == 0 else { return }
        let manifestPath = harness.directory.appendingPathComponent("testnet.json").path
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: manifestPath) { try await Task.sleep(nanoseconds: 100_000_000) }
        let manifest = try TestnetManifestFile.load(harness.directory)
        let genesisFile = try GenesisFile.load(path: harness.directory.appendingPathComponent("genesis.json").path)
        let genesis = try ChainState.genesis(genesisFile.config)

        // The forger: a peer that dials every node and keeps redialling when dropped for its
        // forgeries.
        var config = PeerNetworkConfig(genesisRoot: genesisFile.genesisRoot, nodeID: 0xF0_4637)
        config.bootstrapPeers = manifest.nodes.map { PeerAddress(host: manifest.host, port: $0.p2p_port) }
        config.redialDelayMsMin = 50
        config.redialDelayMsMax = 250
        let root = genesisFile.genesisRoot
        let network = PeerNetwork(
            config: config, status: ChainStatus(headRoot: root, headSlot: Slot(0), finalized: Checkpoint(epoch: Epoch(0), root: root)),
            provider: EmptyBlockProvider())
        forgerNetwork = network
        _ = try await network.start()

        let (before, finalized) = try await offPool { try harness.wait(60) { $0.nodes.allSatisfy { ($0.finalized_epoch ?? 0) >= 1 } } }
        XCTAssertTrue(finalized, "the testnet finalizes before the forgeries")
        guard finalized else { return }
        let finalizedBefore = before.nodes.map { $0.finalized_epoch ?? 0 }.max() ?? 0

        // Two epochs of forgeries, every slot, each kind, to every node.
        var forger = Forger(validatorCount: manifest.validator_count, seed: 0xF0_4637)
        var view = genesis
        var sent = 0
        let apiPort = manifest.nodes[0].api_port
        for _ in 0..<(2 * manifest.slots_per_epoch) {
            let slot = Slot(manifest.slot(atMs: UInt64(Date().timeIntervalSince1970 * 1000)) + 1)
            if view.slot < slot { try view.processSlots(slot) }
            let head = try headRoot(apiPort: apiPort) ?? root
            for message in forger.forgeries(slot: slot, head: head, state: view) {
                network.broadcast(WireMessage(message))
                sent += 1
                if case let .transaction(transaction) = message { try checkRefusedByTheAPI(transaction, port: apiPort) }
            }
            try await Task.sleep(nanoseconds: manifest.slot_ms * 1_000_000)
        }
        XCTAssertGreaterThan(sent, 10 * Int(manifest.slots_per_epoch), "forgeries of every kind were sent")

        let (after, kept) = try await offPool {
            try harness.wait(60) { status in status.nodes.allSatisfy { ($0.finalized_epoch ?? 0) >= finalizedBefore + 2 } }
        }
        XCTAssertTrue(kept, "every node keeps finalizing: \(after.nodes.map { "\($0.node): \($0.finalized_epoch ?? 0)" })")
        for node in manifest.nodes {
            let validators = try XCTUnwrap(LoopbackProbe.http(port: node.api_port, path: "/validators?offset=0&limit=16"))
            XCTAssertEqual(validators.status, 200)
            XCTAssertFalse(validators.body.contains(#""slashed":true"#), "node \(node.index): no honest validator slashed: \(validators.body)")
        }
    }

    /// The head root from a node's API.
    private func headRoot(apiPort: Int) throws -> Root? {
        guard let response = LoopbackProbe.http(port: apiPort, path: "/chain/head"), response.status == 200,
            let range = response.body.range(of: #""root":"[0-9a-f]{64}""#, options: .regularExpression)
        else { return nil }
        return Root(hex: String(response.body[range].dropFirst(8).dropLast()))
    }

    /// `POST /transactions` refuses a forged transaction with 422 and the reason.
    private func checkRefusedByTheAPI(_ transaction: SignedTransaction, port: Int) throws {
        let body = #"{"transaction":"\#(Hex.encode(transaction.encoded))"}"#
        let response = try XCTUnwrap(LoopbackProbe.http(port: port, method: "POST", path: "/transactions", body: body))
        XCTAssertEqual(response.status, 422, response.body)
        XCTAssertTrue(response.body.contains("bad_signature"), response.body)
    }
}
