import Foundation
import Hummingbird
import HummingbirdTesting
import KeelChain
import KeelCrypto
@testable import KeelNode
import KeelProof
import KeelTestSupport
import NIOCore
import XCTest

/// A ``ChainView`` of a prover node: ``FakeChainView``'s chain plus a proof system, the proven
/// blocks and a genesis file.
struct ProverFakeChainView: ChainView {
    let base: FakeChainView
    let system: (any ProofSystem)?
    let records: [Root: ProvenBlockRecord]
    let genesis: GenesisFile?

    var genesisRoot: Root { base.genesisRoot }
    func identity() async -> NodeIdentity { await base.identity() }
    func headSnapshot() async -> HeadSnapshot { await base.headSnapshot() }
    func block(root: Root) async -> SignedBlock? { await base.block(root: root) }
    func canonicalBlockRoot(slot: Slot) async -> Root? { await base.canonicalBlockRoot(slot: slot) }
    func submitTransaction(_ transaction: SignedTransaction) async throws(TransactionSubmissionError) -> Root {
        try await base.submitTransaction(transaction)
    }

    var genesisFile: GenesisFile? { genesis }
    var proofSystem: (any ProofSystem)? { system }
    func provenBlock(root: Root) async throws -> ProvenBlockRecord? { records[root] }
}

/// Four blocks on a test chain; a prover proved the first three (the head, slot 4, is not yet).
struct ProofFixture: Sendable {
    let view: ProverFakeChainView
    let blocks: [SignedBlock]
    let records: [ProvenBlockRecord]
    let verifier: StubSignedClaimProofSystem
    let preset: Preset

    nonisolated(unsafe) static let shared: ProofFixture = try! ProofFixture()

    private init() throws {
        var chain = try TestChain(validatorCount: 8, randaoChainLength: 32)
        let genesisRoot = chain.state.genesisRoot
        let system = StubSignedClaimProofSystem(proverSecretKey: DevnetKeys.proverSecretKey, genesisRoot: genesisRoot)
        let prover = BlockProver(system: system)
        var blocks: [SignedBlock] = []
        var records: [ProvenBlockRecord] = []
        for slot in 1...4 {
            let preState = chain.state
            let block = try chain.advance(to: Slot(UInt64(slot)))
            blocks.append(block)
            if slot < 4 { records.append(ProvenBlockRecord(slot: block.message.slot, proven: try prover.prove(block, preState: preState))) }
        }
        let snapshot = HeadSnapshot(
            headRoot: chain.headRoot, state: chain.state, justified: chain.state.currentJustifiedCheckpoint,
            finalized: chain.state.finalizedCheckpoint)
        let base = FakeChainView(
            genesisRoot: genesisRoot, snapshot: snapshot,
            blocksByRoot: Dictionary(uniqueKeysWithValues: blocks.map { ($0.message.hashTreeRoot, $0) }),
            canonicalRoots: Dictionary(uniqueKeysWithValues: blocks.map { ($0.message.slot, $0.message.hashTreeRoot) }),
            nodeIdentity: NodeIdentity(
                nodeID: "prover", version: "0.1.0", listenAddress: "127.0.0.1:9000", peerCount: 0, validatorCount: 8,
                isSyncing: false),
            submit: { .success($0.hashTreeRoot) })
        let genesis = GenesisFile.devnet(
            validatorCount: 4, stake: Stake(32 * Preset.devnet.stakeUnit), slotMs: 1_000, preset: .devnet,
            genesisTimeMs: 1_700_000_000_000, randaoChainLength: 8, programs: [])
        view = ProverFakeChainView(
            base: base, system: system, records: Dictionary(uniqueKeysWithValues: records.map { ($0.blockRoot, $0) }),
            genesis: genesis)
        self.blocks = blocks
        self.records = records
        verifier = StubSignedClaimProofSystem(proverKey: DevnetKeys.proverSecretKey.publicKey, genesisRoot: genesisRoot)
        preset = chain.state.preset
    }
}

/// `GET /genesis` and the prover routes `GET /blocks/{id}/proof|witness|registry`: their JSON,
/// what a light node can check with it, and every 404.
final class APIProofTests: XCTestCase {
    private var fixture: ProofFixture { ProofFixture.shared }

    private static func hex(_ value: Any?, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
        let text = try XCTUnwrap(value as? String, file: file, line: line)
        XCTAssertFalse(text.hasPrefix("0x"), "the API writes hex without 0x", file: file, line: line)
        return try XCTUnwrap(Hex.decode(text), file: file, line: line)
    }

    func testProofHasTheClaimAndAProofTheStubVerifierAccepts() async throws {
        let record = fixture.records[1]
        let (view, verifier) = (fixture.view, fixture.verifier)
        try await withAPI(view: view) { client in
            let response = try await client.execute(uri: "/blocks/\(record.blockRoot.hex)/proof", method: .get)
            XCTAssertEqual(response.status, .ok, response.text)
            XCTAssertEqual(response.headers[.contentType], APIJSON.contentType)
            let json = try response.json()
            XCTAssertEqual(
                Set(json.keys),
                ["block_root", "system", "guarantee", "claim", "claim_encoded", "proof", "proof_bytes"])
            XCTAssertEqual(json["block_root"] as? String, record.blockRoot.hex)
            XCTAssertEqual(json["system"] as? String, StubSignedClaimProofSystem.systemID)
            XCTAssertTrue((json["guarantee"] as? String)?.hasPrefix("STUB") ?? false, "\(json)")
            let claim = try XCTUnwrap(json["claim"] as? [String: Any])
            XCTAssertEqual(Set(claim.keys), ["pre_state_root", "block_root", "post_state_root", "vm_steps"])
            XCTAssertEqual(claim["pre_state_root"] as? String, record.claim.preStateRoot.hex)
            XCTAssertEqual(claim["block_root"] as? String, record.blockRoot.hex)
            XCTAssertEqual(claim["post_state_root"] as? String, record.claim.postStateRoot.hex)
            XCTAssertEqual(claim["vm_steps"] as? UInt64, record.claim.vmSteps)
            let decodedClaim = try TransitionClaim(decoding: try Self.hex(json["claim_encoded"]))
            XCTAssertEqual(decodedClaim, record.claim)
            let proofBytes = try Self.hex(json["proof"])
            XCTAssertEqual(json["proof_bytes"] as? Int, proofBytes.count)
            XCTAssertEqual(proofBytes.count, 64, "a stub proof is a signature")
            let proof = TransitionProof(system: try XCTUnwrap(json["system"] as? String), bytes: proofBytes)
            XCTAssertNoThrow(try verifier.verify(proof, of: decodedClaim))
        }
    }

    func testProofBySlotRootAndHeadAgree() async throws {
        let record = fixture.records[2]
        try await withAPI(view: fixture.view) { client in
            let bySlot = try await client.execute(uri: "/blocks/\(record.slot)/proof", method: .get)
            let byRoot = try await client.execute(uri: "/blocks/0x\(record.blockRoot.hex)/proof", method: .get)
            XCTAssertEqual(bySlot.status, .ok)
            XCTAssertEqual(bySlot.text, byRoot.text)
        }
    }

    func testWitnessReexecutesTheBlock() async throws {
        let (block, record) = (fixture.blocks[0], fixture.records[0])
        let preset = fixture.preset
        try await withAPI(view: fixture.view) { client in
            let json = try await client.execute(uri: "/blocks/1/witness", method: .get).json()
            XCTAssertEqual(Set(json.keys), ["block_root", "pre_state_root", "witness", "witness_bytes"])
            XCTAssertEqual(json["block_root"] as? String, record.blockRoot.hex)
            XCTAssertEqual(json["pre_state_root"] as? String, record.claim.preStateRoot.hex)
            let bytes = try Self.hex(json["witness"])
            XCTAssertEqual(json["witness_bytes"] as? Int, bytes.count)
            let outcome = try StatelessReexecution.verify(
                block, preStateRoot: record.claim.preStateRoot, witness: try StateWitness(decoding: bytes), preset: preset)
            XCTAssertEqual(outcome.claim, record.claim)
        }
    }

    func testRegistryOpensAgainstTheBlocksStateRoot() async throws {
        let block = fixture.blocks[2]
        let preset = fixture.preset
        try await withAPI(view: fixture.view) { client in
            let json = try await client.execute(uri: "/blocks/\(block.message.hashTreeRoot.hex)/registry", method: .get).json()
            XCTAssertEqual(Set(json.keys), ["block_root", "state_root", "registry", "registry_bytes"])
            XCTAssertEqual(json["state_root"] as? String, block.message.stateRoot.hex)
            let bytes = try Self.hex(json["registry"])
            XCTAssertEqual(json["registry_bytes"] as? Int, bytes.count)
            let opened = try StateWitness(decoding: bytes).open(root: block.message.stateRoot, preset: preset)
            XCTAssertEqual(opened.validators.count, 8)
        }
    }

    func testProofRoutesAre404OnANodeThatIsNotAProver() async throws {
        let root = fixture.blocks[0].message.hashTreeRoot.hex
        try await withAPI(view: fixture.view.base) { client in
            for route in ["proof", "witness", "registry"] {
                for id in [root, "1", "head", "99"] {
                    let response = try await client.execute(uri: "/blocks/\(id)/\(route)", method: .get)
                    try assertAPIError(response, .notFound, containing: "this node is not a prover (start it with --prover)")
                }
            }
        }
    }

    func testUnknownAndUnprovenBlocksAre404AndBadIdsAre400() async throws {
        let head = fixture.blocks[3].message.hashTreeRoot.hex
        try await withAPI(view: fixture.view) { client in
            for route in ["proof", "witness", "registry"] {
                try assertAPIError(
                    try await client.execute(uri: "/blocks/\(Root.zero.hex)/\(route)", method: .get), .notFound,
                    containing: "no block with root \(Root.zero.hex)")
                try assertAPIError(
                    try await client.execute(uri: "/blocks/77/\(route)", method: .get), .notFound,
                    containing: "no canonical block at slot 77")
                try assertAPIError(
                    try await client.execute(uri: "/blocks/head/\(route)", method: .get), .notFound,
                    containing: "no proof of block \(head)")
                try assertAPIError(
                    try await client.execute(uri: "/blocks/nonsense/\(route)", method: .get), .badRequest,
                    containing: "block id")
            }
        }
    }

    func testGenesisIsTheFileANodeLoads() async throws {
        let genesis = try XCTUnwrap(fixture.view.genesis)
        try await withAPI(view: fixture.view) { client in
            let response = try await client.execute(uri: "/genesis", method: .get)
            XCTAssertEqual(response.status, .ok)
            XCTAssertEqual(response.headers[.contentType], APIJSON.contentType)
            XCTAssertEqual(Data(response.body.readableBytesView), genesis.encodedJSON())
            XCTAssertEqual(try GenesisFile.decode(json: Data(response.body.readableBytesView)), genesis)
        }
        try await withAPI(view: fixture.view.base) { client in
            try assertAPIError(try await client.execute(uri: "/genesis", method: .get), .notFound, containing: "genesis")
        }
    }
}
