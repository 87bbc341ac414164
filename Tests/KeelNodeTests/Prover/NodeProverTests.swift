import Foundation
import KeelChain
import KeelCrypto
import KeelProof
import Logging
import XCTest

@testable import KeelNode

/// A prover node: one in-process node running all four validators of a devnet (250 ms slots,
/// no peers), started with the devnet prover key. Every block it imports gets a proof the stub
/// system accepts, a witness stateless re-execution accepts, and a registry proof that opens
/// against the block's state root; a key that is not the genesis's prover is refused.
final class NodeProverTests: InProcessNodeTestCase {



    private static let slotMs: UInt64 = 250
    private static let headSlotWanted: UInt64 = 4

    private static func genesis(proverKey: PublicKey? = DevnetKeys.proverSecretKey.publicKey) -> GenesisFile {
        GenesisFile.devnet(
            validatorCount: 4, stake: Stake(32 * Preset.devnet.stakeUnit), slotMs: slotMs, preset: .devnet,
            genesisTimeMs: 0, randaoChainLength: 256, programs: [], proverKey: proverKey)
    }

    private func config(_ genesis: GenesisFile, proverSecretKey: SecretKey?) -> NodeConfig {
        var config = NodeConfig(genesis: genesis, dataDirectory: directory.appendingPathComponent("data").path)
        config.genesisTimeMs = SlotClock.systemNowMs() + 300
        config.validatorIndices = (0..<4).map { ValidatorIndex(UInt64($0)) }
        config.proverSecretKey = proverSecretKey
        return config
    }

    private static func quietLogger() -> Logger {
        var logger = Logger(label: "keel.node")
        logger.logLevel = .warning
        return logger
    }

    func testAProverNodeServesAVerifiableProofWitnessAndRegistryForEachBlock() async throws {
        let genesis = Self.genesis()
        let node = try Node(config: config(genesis, proverSecretKey: DevnetKeys.proverSecretKey), logger: Self.quietLogger())
        self.node = node
        try await node.start()
        let view = NodeChainView(node: node)
        XCTAssertEqual(view.proofSystem?.systemID, StubSignedClaimProofSystem.systemID)
        XCTAssertTrue(view.proofSystem?.guarantee.hasPrefix("STUB") ?? false)

        // The canonical blocks of slots 1 ... headSlotWanted, once each is proven.
        var blocks: [SignedBlock] = []
        let proven = try await poll {
            let head = await node.head
            guard head.slot.rawValue >= Self.headSlotWanted else { return false }
            blocks = await node.canonicalBlocks(startSlot: Slot(1), count: Self.headSlotWanted)
            for block in blocks {
                let stored = try? await view.provenBlock(root: block.message.hashTreeRoot)
                if stored == nil { return false }
            }
            return !blocks.isEmpty
        }
        XCTAssertTrue(proven, "blocks of slots 1...\(Self.headSlotWanted) are proven: \(blocks.map(\.message.slot))")

        let verifier = StubSignedClaimProofSystem(proverKey: try XCTUnwrap(genesis.proverKey), genesisRoot: genesis.genesisRoot)
        var genesisState = try ChainState.genesis(genesis.config)
        // The first block's parent is the genesis block; each next one's, the block before it.
        var parentStateRoot = genesisState.hashTreeRoot()
        var parentRoot: Root?
        for block in blocks {
            let root = block.message.hashTreeRoot
            let stored = try await view.provenBlock(root: root)
            let record = try XCTUnwrap(stored, "slot \(block.message.slot)")
            XCTAssertEqual(record.claim.blockRoot, root)
            XCTAssertEqual(record.claim.postStateRoot, block.message.stateRoot)
            if let parentRoot { XCTAssertEqual(block.message.parentRoot, parentRoot, "the canonical blocks form a chain") }
            XCTAssertEqual(record.claim.preStateRoot, parentStateRoot, "slot \(block.message.slot)")
            XCTAssertNoThrow(try verifier.verify(record.proof, of: record.claim), "slot \(block.message.slot)")

            let witness = try StateWitness(decoding: record.witness)
            let outcome = try StatelessReexecution.verify(
                block, preStateRoot: record.claim.preStateRoot, witness: witness, preset: genesis.preset)
            XCTAssertEqual(outcome.claim, record.claim, "re-execution establishes the proven claim")

            let registry = try StateWitness(decoding: record.registry)
            let opened = try registry.open(root: block.message.stateRoot, preset: genesis.preset)
            XCTAssertEqual(opened.validators.count, 4)
            parentStateRoot = block.message.stateRoot
            parentRoot = root
        }

        let text = node.metrics.exposition()
        XCTAssertTrue(text.contains("keel_proofs_produced_total"), text)
        XCTAssertTrue(text.contains("keel_proving_seconds_count"), text)
        XCTAssertTrue(text.contains("keel_proof_failures_total 0"), text)

        // Restarted on its data directory, the node serves the same records from SQLite.
        var served: [ProvenBlockRecord] = []
        for block in blocks {
            let stored = try await view.provenBlock(root: block.message.hashTreeRoot)
            served.append(try XCTUnwrap(stored))
        }
        await node.shutdown()
        self.node = nil
        let restarted = try Node(config: node.config, logger: Self.quietLogger())
        self.node = restarted
        let restartedView = NodeChainView(node: restarted)
        for record in served {
            let stored = try await restartedView.provenBlock(root: record.blockRoot)
            XCTAssertEqual(stored, record)
        }
    }

    func testANodeThatIsNotAProverServesNoProofs() async throws {
        let node = try Node(config: config(Self.genesis(), proverSecretKey: nil), logger: Self.quietLogger())
        self.node = node
        let view = NodeChainView(node: node)
        XCTAssertNil(view.proofSystem)
        XCTAssertNil(node.prover)
        XCTAssertNotNil(view.genesisFile)
    }

    func testAKeyThatIsNotTheGenesisProverIsRefused() throws {
        let other = DevnetKeys.secretKey(validatorIndex: 0)
        XCTAssertThrowsError(try Node(config: config(Self.genesis(), proverSecretKey: other), logger: Self.quietLogger())) { error in
            XCTAssertEqual(
                error as? NodeProverError,
                .proverKeyMismatch(genesis: DevnetKeys.proverSecretKey.publicKey, key: other.publicKey))
            XCTAssertTrue("\(error)".contains("names prover key"), "\(error)")
        }
        XCTAssertThrowsError(
            try Node(config: config(Self.genesis(proverKey: nil), proverSecretKey: DevnetKeys.proverSecretKey), logger: Self.quietLogger())
        ) { error in
            XCTAssertEqual(error as? NodeProverError, .genesisNamesNoProver)
        }
        // Refused before touching the disk.
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory.appendingPathComponent("data").path))
    }
}
