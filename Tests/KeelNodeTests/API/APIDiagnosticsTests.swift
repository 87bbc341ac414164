import Foundation
import HummingbirdTesting
import KeelChain
import KeelConsensus
@testable import KeelNode
import XCTest

/// `GET /fork_choice` and `GET /node/peers`.
final class APIDiagnosticsTests: XCTestCase {
    func testForkChoiceListsTheTreeWithWeightsThatNeverGrowDownward() async throws {
        let fixture = APIFixture.shared
        let view = try XCTUnwrap(fixture.view.forkChoiceView)
        try await withAPI { client in
            let body = try await client.execute(uri: "/fork_choice", method: .get).json()
            XCTAssertEqual(body["head_root"] as? String, view.head.hex)
            let nodes = try XCTUnwrap(body["fork_choice_nodes"] as? [[String: Any]])
            XCTAssertEqual(nodes.count, fixture.blocks.count + 1, "every block and the anchor")
            XCTAssertTrue(nodes[0]["parent_root"] is NSNull, "the tree's root has no parent")
            let byRoot = Dictionary(uniqueKeysWithValues: nodes.map { ($0["block_root"] as! String, $0) })
            for node in nodes.dropFirst() {
                let parent = try XCTUnwrap(byRoot[try XCTUnwrap(node["parent_root"] as? String)], "the parent is listed")
                let weight = UInt64(node["weight"] as! String)!
                XCTAssertGreaterThanOrEqual(UInt64(parent["weight"] as! String)!, weight, "a parent weighs at least its child")
            }
            let heaviest = nodes.map { UInt64($0["weight"] as! String)! }.max() ?? 0
            XCTAssertGreaterThan(heaviest, 0, "the chain's votes weigh")
        }
        try await withAPI(view: ProofFixture.shared.view) { client in
            try assertAPIError(try await client.execute(uri: "/fork_choice", method: .get), .notFound)
        }
    }

    func testPeersShowTheirHandshake() async throws {
        var view = APIFixture.shared.view
        let status = ChainStatus(headRoot: APIFixture.shared.state.latestBlockHeader.hashTreeRoot, headSlot: Slot(31), finalized: Checkpoint(epoch: Epoch(2), root: .zero))
        view.peerList = [
            PeerInfo(id: PeerID(3), address: "127.0.0.1:47102", isOutbound: true,
                     hello: Hello(protocolVersion: 1, genesisRoot: view.genesisRoot, status: status, nodeID: 0xabc, listenPort: 47102),
                     score: -5, outboundQueueCount: 1, outboundQueueCountHighWater: 2, outboundDroppedCount: 0),
            PeerInfo(id: PeerID(4), address: "127.0.0.1:51000", isOutbound: false, hello: nil, score: 0, outboundQueueCount: 0,
                     outboundQueueCountHighWater: 0, outboundDroppedCount: 0),
        ]
        try await withAPI(view: view) { client in
            let body = try await client.execute(uri: "/node/peers", method: .get).json()
            XCTAssertEqual(body["count"] as? Int, 2)
            let peers = try XCTUnwrap(body["peers"] as? [[String: Any]])
            XCTAssertEqual(peers[0]["state"] as? String, "connected")
            XCTAssertEqual(peers[0]["direction"] as? String, "outbound")
            XCTAssertEqual(peers[0]["head_slot"] as? Int, 31)
            XCTAssertEqual(peers[0]["node_id"] as? String, "abc")
            XCTAssertEqual(peers[0]["score"] as? Int, -5)
            XCTAssertEqual(peers[1]["state"] as? String, "connecting")
            XCTAssertNil(peers[1]["head_slot"], "no handshake, no chain fields")
        }
    }
}
