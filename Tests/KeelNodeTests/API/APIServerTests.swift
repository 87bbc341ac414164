import Foundation
import Hummingbird
import HummingbirdTesting
import KeelChain
import KeelCrypto
@testable import KeelNode
import KeelTestSupport
import NIOCore
import XCTest

/// The HTTP API's read endpoints against a fake chain view over a real test chain: every happy
/// path checked against the state, and every way to ask badly.
final class APIServerTests: XCTestCase {
    private var fixture: APIFixture { APIFixture.shared }

    // MARK: Node

    func testHealthReportsOKAndSyncStatus() async throws {
        try await withAPI { client in
            let response = try await client.execute(uri: "/health", method: .get)
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.headers[.contentType], APIJSON.contentType)
            XCTAssertEqual(response.text, #"{"status":"ok","syncing":false}"#)
        }
    }

    func testIdentityReportsTheNode() async throws {
        try await withAPI { client in
            let json = try await client.execute(uri: "/node/identity", method: .get).json()
            XCTAssertEqual(json["node_id"] as? String, "node-0")
            XCTAssertEqual(json["version"] as? String, "0.1.0")
            XCTAssertEqual(json["listen_address"] as? String, "127.0.0.1:9000")
            XCTAssertEqual(json["peer_count"] as? Int, 3)
            XCTAssertEqual(json["validator_count"] as? Int, 8)
            XCTAssertEqual(json["syncing"] as? Bool, false)
            XCTAssertEqual(json["genesis_root"] as? String, APIFixture.shared.state.genesisRoot.hex)
        }
    }

    // MARK: Chain

    func testHeadMatchesTheHeadState() async throws {
        var state = fixture.state
        let stateRoot = state.hashTreeRoot()
        try await withAPI { client in
            let json = try await client.execute(uri: "/chain/head", method: .get).json()
            XCTAssertEqual(json["slot"] as? UInt64, APIFixture.lastSlot.rawValue)
            XCTAssertEqual(json["epoch"] as? UInt64, 3)
            XCTAssertEqual(json["root"] as? String, APIFixture.shared.view.snapshot.headRoot.hex)
            XCTAssertEqual(json["state_root"] as? String, stateRoot.hex)
            XCTAssertEqual(json["root"] as? String, APIFixture.shared.blocks.last!.message.hashTreeRoot.hex)
            XCTAssertEqual(json["state_root"] as? String, APIFixture.shared.blocks.last!.message.stateRoot.hex)
        }
    }

    func testFinalityReportsTheCheckpoints() async throws {
        let justified = fixture.view.snapshot.justified
        let finalized = fixture.view.snapshot.finalized
        XCTAssertGreaterThan(justified.epoch, Epoch(0), "the fixture chain justifies an epoch")
        try await withAPI { client in
            let json = try await client.execute(uri: "/chain/finality", method: .get).json()
            let justifiedJSON = try XCTUnwrap(json["justified"] as? [String: Any])
            let finalizedJSON = try XCTUnwrap(json["finalized"] as? [String: Any])
            XCTAssertEqual(justifiedJSON["epoch"] as? UInt64, justified.epoch.rawValue)
            XCTAssertEqual(justifiedJSON["root"] as? String, justified.root.hex)
            XCTAssertEqual(finalizedJSON["epoch"] as? UInt64, finalized.epoch.rawValue)
            XCTAssertEqual(finalizedJSON["root"] as? String, finalized.root.hex)
        }
    }

    // MARK: Blocks

    func testBlockBySlotRootAndHeadAgree() async throws {
        let block = fixture.blocks.first { $0.message.slot == APIFixture.transferSlot }!
        let root = block.message.hashTreeRoot
        try await withAPI { client in
            let bySlot = try await client.execute(uri: "/blocks/\(APIFixture.transferSlot)", method: .get)
            let byRoot = try await client.execute(uri: "/blocks/\(root.hex)", method: .get)
            let byPrefixedRoot = try await client.execute(uri: "/blocks/0x\(root.hex.uppercased())", method: .get)
            XCTAssertEqual(bySlot.status, .ok)
            XCTAssertEqual(bySlot.text, byRoot.text)
            XCTAssertEqual(bySlot.text, byPrefixedRoot.text)
            let json = try bySlot.json()
            XCTAssertEqual(json["root"] as? String, root.hex)
            XCTAssertEqual(json["slot"] as? UInt64, block.message.slot.rawValue)
            XCTAssertEqual(json["proposer_index"] as? UInt64, block.message.proposerIndex.rawValue)
            XCTAssertEqual(json["parent_root"] as? String, block.message.parentRoot.hex)
            XCTAssertEqual(json["state_root"] as? String, block.message.stateRoot.hex)
            XCTAssertEqual(json["signature"] as? String, block.signature.hex)
            let encoded = try XCTUnwrap(Hex.decode(try XCTUnwrap(json["encoded"] as? String)))
            XCTAssertEqual(try SignedBlock(decoding: encoded), block)

            let head = try await client.execute(uri: "/blocks/head", method: .get).json()
            XCTAssertEqual(head["root"] as? String, APIFixture.shared.blocks.last!.message.hashTreeRoot.hex)
        }
    }

    func testBlockBodySummaryListsTransactionsAndAttestations() async throws {
        let block = fixture.blocks.first { $0.message.slot == APIFixture.transferSlot }!
        let transfer = fixture.transfer
        try await withAPI { client in
            let json = try await client.execute(uri: "/blocks/\(APIFixture.transferSlot)", method: .get).json()
            let body = try XCTUnwrap(json["body"] as? [String: Any])
            XCTAssertEqual(body["attestation_count"] as? Int, block.message.body.attestations.count)
            XCTAssertGreaterThan(block.message.body.attestations.count, 0)
            XCTAssertEqual((body["proposer_slashings"] as? [Any])?.count, 0)
            XCTAssertEqual((body["attester_slashings"] as? [Any])?.count, 0)
            let transactions = try XCTUnwrap(body["transactions"] as? [[String: Any]])
            XCTAssertEqual(transactions.count, 1)
            XCTAssertEqual(transactions[0]["root"] as? String, transfer.hashTreeRoot.hex)
            XCTAssertEqual(transactions[0]["kind"] as? String, "transfer")
            XCTAssertEqual(transactions[0]["sender"] as? String, transfer.message.sender.hash.hex)
            XCTAssertEqual(transactions[0]["nonce"] as? UInt64, 0)
            XCTAssertEqual(transactions[0]["fee"] as? String, "1000")
            XCTAssertEqual(transactions[0]["amount"] as? String, "5000")
        }
    }

    func testBlockIDErrors() async throws {
        let unknownRoot = SHA256.hash(Array("no such block".utf8))
        try await withAPI { client in
            for id in ["abc", "-1", "+3", "1.5", "18446744073709551616", "0x1234", String(repeating: "g", count: 64)] {
                try assertAPIError(try await client.execute(uri: "/blocks/\(id)", method: .get), .badRequest, containing: "block id")
            }
            try assertAPIError(
                try await client.execute(uri: "/blocks/\(APIFixture.skippedSlot)", method: .get), .notFound,
                containing: "slot \(APIFixture.skippedSlot)")
            try assertAPIError(try await client.execute(uri: "/blocks/1000000", method: .get), .notFound)
            try assertAPIError(
                try await client.execute(uri: "/blocks/\(unknownRoot.hex)", method: .get), .notFound, containing: unknownRoot.hex)
        }
    }

    // MARK: Validators

    func testValidatorsListTheRegistry() async throws {
        let state = fixture.state
        try await withAPI { client in
            let json = try await client.execute(uri: "/validators", method: .get).json()
            XCTAssertEqual(json["epoch"] as? UInt64, 3)
            XCTAssertEqual(json["total"] as? Int, 8)
            let validators = try XCTUnwrap(json["validators"] as? [[String: Any]])
            XCTAssertEqual(validators.count, 8)
            for (index, entry) in validators.enumerated() {
                let validator = state.validators[index]
                XCTAssertEqual(entry["index"] as? Int, index)
                XCTAssertEqual(entry["public_key"] as? String, validator.publicKey.hex)
                XCTAssertEqual(entry["balance"] as? String, String(validator.balance.rawValue))
                XCTAssertEqual(entry["effective_stake"] as? String, String(validator.effectiveStake.rawValue))
                XCTAssertEqual(entry["status"] as? String, "active")
                XCTAssertEqual(entry["activation_epoch"] as? UInt64, validator.activationEpoch.rawValue)
                XCTAssertTrue(entry["exit_epoch"] is NSNull, "a far-future exit epoch is null")
            }
            let page = try await client.execute(uri: "/validators?offset=6&limit=5", method: .get).json()
            let pageEntries = try XCTUnwrap(page["validators"] as? [[String: Any]])
            XCTAssertEqual(pageEntries.map { $0["index"] as? Int }, [6, 7])
            let beyond = try await client.execute(uri: "/validators?offset=100", method: .get).json()
            XCTAssertEqual((beyond["validators"] as? [Any])?.count, 0)
            for query in ["limit=0", "limit=1025", "limit=x", "offset=-1"] {
                try assertAPIError(try await client.execute(uri: "/validators?\(query)", method: .get), .badRequest)
            }
        }
    }

    func testValidatorByIndex() async throws {
        let validator = fixture.state.validators[5]
        try await withAPI { client in
            let json = try await client.execute(uri: "/validators/5", method: .get).json()
            XCTAssertEqual(json["index"] as? Int, 5)
            XCTAssertEqual(json["public_key"] as? String, validator.publicKey.hex)
            XCTAssertEqual(json["withdrawal_address"] as? String, validator.withdrawalAddress.hash.hex)
            XCTAssertEqual(json["balance"] as? String, String(validator.balance.rawValue))
            XCTAssertEqual(json["slashed"] as? Bool, false)
            try assertAPIError(try await client.execute(uri: "/validators/8", method: .get), .notFound, containing: "8")
            try assertAPIError(try await client.execute(uri: "/validators/five", method: .get), .badRequest)
            try assertAPIError(try await client.execute(uri: "/validators/-1", method: .get), .badRequest)
        }
    }

    func testValidatorStatusFollowsTheLifeCycle() throws {
        let base = fixture.state.validators[0]
        var pending = base
        pending.activationEpoch = Constants.farFutureEpoch
        var exiting = base
        exiting.exitEpoch = Epoch(10)
        var slashed = exiting
        slashed.slashed = true
        XCTAssertEqual(APIValidatorStatus(base, epoch: Epoch(3)), .active)
        XCTAssertEqual(APIValidatorStatus(pending, epoch: Epoch(3)), .pending)
        XCTAssertEqual(APIValidatorStatus(exiting, epoch: Epoch(3)), .exiting)
        XCTAssertEqual(APIValidatorStatus(exiting, epoch: Epoch(10)), .exited)
        XCTAssertEqual(APIValidatorStatus(slashed, epoch: Epoch(3)), .slashed)
    }

    // MARK: Accounts

    func testAccountComesWithAnInclusionProof() async throws {
        var state = fixture.state
        let stateRoot = state.hashTreeRoot()
        let address = fixture.transfer.message.sender
        let account = try XCTUnwrap(state.accounts[address])
        XCTAssertEqual(account.nonce, 1, "the fixture's transfer used nonce 0")
        try await withAPI { client in
            let json = try await client.execute(uri: "/accounts/0x\(address.hash.hex)", method: .get).json()
            XCTAssertEqual(json["exists"] as? Bool, true)
            XCTAssertEqual(json["address"] as? String, address.hash.hex)
            XCTAssertEqual(json["balance"] as? String, String(account.balance.rawValue))
            XCTAssertEqual(json["nonce"] as? UInt64, 1)
            XCTAssertEqual(json["slot"] as? UInt64, APIFixture.lastSlot.rawValue)
            XCTAssertEqual(json["state_root"] as? String, stateRoot.hex)
            XCTAssertEqual(json["value_hash"] as? String, account.hashTreeRoot.hex)
            XCTAssertEqual(json["key"] as? String, ChainState.StateKey.account(address).hex)
            let proof = try MerkleProof(decoding: try XCTUnwrap(Hex.decode(try XCTUnwrap(json["proof"] as? String))))
            XCTAssertTrue(proof.verify(key: ChainState.StateKey.account(address), valueHash: account.hashTreeRoot, root: stateRoot))
            XCTAssertFalse(proof.verify(key: ChainState.StateKey.account(address), valueHash: nil, root: stateRoot))
        }
    }

    func testUnknownAccountComesWithAnExclusionProof() async throws {
        var state = fixture.state
        let stateRoot = state.hashTreeRoot()
        let address = Address(SHA256.hash(Array("nobody".utf8)))
        XCTAssertNil(state.accounts[address])
        try await withAPI { client in
            let json = try await client.execute(uri: "/accounts/\(address.hash.hex)", method: .get).json()
            XCTAssertEqual(json["exists"] as? Bool, false)
            XCTAssertEqual(json["balance"] as? String, "0")
            XCTAssertEqual(json["nonce"] as? UInt64, 0)
            XCTAssertTrue(json["value_hash"] is NSNull)
            let proof = try MerkleProof(decoding: try XCTUnwrap(Hex.decode(try XCTUnwrap(json["proof"] as? String))))
            XCTAssertTrue(proof.verify(key: ChainState.StateKey.account(address), valueHash: nil, root: stateRoot))
        }
    }

    func testAccountAddressErrors() async throws {
        try await withAPI { client in
            for address in ["xyz", "0x12", String(repeating: "a", count: 66), String(repeating: "z", count: 64)] {
                try assertAPIError(
                    try await client.execute(uri: "/accounts/\(address)", method: .get), .badRequest, containing: "address")
            }
        }
    }

    // MARK: Routing

    func testUnknownRoutesAndMethodsAnswerJSON() async throws {
        try await withAPI { client in
            try assertAPIError(try await client.execute(uri: "/nope", method: .get), .notFound)
            try assertAPIError(try await client.execute(uri: "/blocks", method: .get), .notFound)
            try assertAPIError(try await client.execute(uri: "/chain/head/extra", method: .get), .notFound)
            let wrongMethod = try await client.execute(uri: "/health", method: .post, body: ByteBuffer())
            XCTAssertTrue((400..<500).contains(wrongMethod.status.code), "\(wrongMethod.status)")
            XCTAssertNotNil(try wrongMethod.json()["error"] as? String)
        }
    }
}
