import Foundation
import Hummingbird
import HummingbirdTesting
import KeelChain
import KeelCrypto
@testable import KeelNode
import NIOCore
import XCTest

/// `NodeMetrics` and `GET /metrics`: names, values, and isolation between instances.
final class NodeMetricsTests: XCTestCase {
    private static let names = [
        "keel_head_slot", "keel_justified_epoch", "keel_finalized_epoch", "keel_peer_count",
        "keel_blocks_received_total", "keel_attestations_received_total", "keel_block_import_seconds",
        "keel_signing_refusals_total",
    ]

    private func update(_ metrics: NodeMetrics) {
        metrics.setHeadSlot(Slot(42))
        metrics.setCheckpoints(justified: Checkpoint(epoch: Epoch(5), root: .zero), finalized: Checkpoint(epoch: Epoch(4), root: .zero))
        metrics.setPeerCount(7)
        metrics.recordBlockReceived(valid: true)
        metrics.recordBlockReceived(valid: true)
        metrics.recordBlockReceived(valid: false)
        metrics.recordAttestationReceived(valid: true)
        metrics.recordAttestationReceived(valid: false)
        metrics.recordAttestationReceived(valid: false)
        metrics.recordBlockImport(seconds: 0.003)
        metrics.recordBlockImport(.milliseconds(200))
        metrics.recordSigningRefusal()
    }

    func testExpositionCarriesEveryMetricAndValue() {
        let metrics = NodeMetrics()
        update(metrics)
        let text = metrics.exposition()
        for name in Self.names {
            XCTAssertTrue(text.contains("# TYPE \(name)"), "missing \(name) in\n\(text)")
        }
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            "keel_head_slot 42.0", "keel_justified_epoch 5.0", "keel_finalized_epoch 4.0", "keel_peer_count 7.0",
            #"keel_blocks_received_total{result="valid"} 2"#, #"keel_blocks_received_total{result="invalid"} 1"#,
            #"keel_attestations_received_total{result="valid"} 1"#,
            #"keel_attestations_received_total{result="invalid"} 2"#, "keel_signing_refusals_total 1",
            "keel_block_import_seconds_count 2", #"keel_block_import_seconds_bucket{le="0.005"} 1"#,
            #"keel_block_import_seconds_bucket{le="0.25"} 2"#,
        ] {
            XCTAssertTrue(lines.contains(expected), "missing line '\(expected)' in\n\(text)")
        }
    }

    func testInstancesAreIsolated() {
        let first = NodeMetrics()
        let second = NodeMetrics()
        first.setHeadSlot(Slot(9))
        first.recordSigningRefusal()
        let secondText = second.exposition()
        XCTAssertTrue(secondText.contains("keel_head_slot 0"), secondText)
        XCTAssertTrue(secondText.contains("keel_signing_refusals_total 0"), secondText)
    }

    func testUpdateFromSnapshot() {
        let metrics = NodeMetrics()
        let snapshot = APIFixture.shared.view.snapshot
        metrics.update(from: snapshot)
        let text = metrics.exposition()
        XCTAssertTrue(text.contains("keel_head_slot \(Double(snapshot.state.slot.rawValue))"), text)
        XCTAssertTrue(text.contains("keel_justified_epoch \(Double(snapshot.justified.epoch.rawValue))"), text)
    }

    func testMetricsEndpointServesPrometheusText() async throws {
        let metrics = NodeMetrics()
        update(metrics)
        try await withAPI(metrics: metrics) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.headers[.contentType], "text/plain; version=0.0.4; charset=utf-8")
            for name in Self.names {
                XCTAssertTrue(response.text.contains(name), "missing \(name)")
            }
            XCTAssertTrue(response.text.contains("keel_head_slot 42.0"), response.text)
        }
    }
}
