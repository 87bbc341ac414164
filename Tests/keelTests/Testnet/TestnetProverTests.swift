import Foundation
@testable import keel
import KeelTestSupport
import XCTest

/// `keel testnet`'s prover node: in the manifest (and read from one written before provers),
/// in `status --json`, passed to `keel node` as `--prover`, and its options checked.
final class TestnetProverTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("keel-testnet-prover-\(UUID().uuidString)")
    }

    override func tearDown() {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    func testAManifestWithoutProverFieldsHasNoProver() throws {
        let json = """
            {"version":1,"genesis_root":"00","genesis_time_ms":1,"slot_ms":1000,"slots_per_epoch":8,"validator_count":2,
             "host":"127.0.0.1","nodes":[{"index":0,"validators":[0,1],"p2p_port":1,"api_port":2,"byzantine":false,"peers":[]}]}
            """
        let manifest = try JSONDecoder().decode(TestnetManifest.self, from: Data(json.utf8))
        XCTAssertFalse(manifest.nodes[0].prover)
        XCTAssertNil(manifest.proverNode)
    }

    func testTheProverNodeRoundTripsAndRunsWithProver() throws {
        let nodes = (0..<3).map { index in
            TestnetManifest.Node(
                index: index, validators: [UInt64(index)], p2pPort: 100 + index, apiPort: 200 + index, byzantine: false,
                peers: Array(0..<index), prover: index == 1)
        }
        let manifest = TestnetManifest(
            version: TestnetManifest.currentVersion, genesisRoot: "00", genesisTimeMs: 1, slotMs: 1_000, slotsPerEpoch: 8,
            validatorCount: 3, host: "127.0.0.1", nodes: nodes)
        let decoded = try JSONDecoder().decode(TestnetManifest.self, from: JSONEncoder().encode(manifest))
        XCTAssertEqual(decoded, manifest)
        XCTAssertEqual(decoded.proverNode?.index, 1)
        let processes = NodeProcesses(layout: TestnetLayout(directory: directory.path), manifest: manifest)
        XCTAssertTrue(processes.arguments(nodes[1]).contains("--prover"))
        XCTAssertFalse(processes.arguments(nodes[0]).contains("--prover"))
    }

    func testProverOptionsAreChecked() throws {
        let outOfRange = try CommandRunner.run(
            "keel", ["testnet", "up", "--nodes", "2", "--prover-node", "2", "--dir", directory.path])
        XCTAssertEqual(outOfRange.status, 2, outOfRange.standardError)
        XCTAssertTrue(outOfRange.standardError.contains("--prover-node: node 2 is not in 0...1"), outOfRange.standardError)
        let both = try CommandRunner.run(
            "keel", ["testnet", "up", "--prover-node", "0", "--no-prover", "--dir", directory.path])
        XCTAssertEqual(both.status, 2, both.standardError)
        XCTAssertTrue(both.standardError.contains("give at most one"), both.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.path), "nothing was created")
    }
}
