import Foundation
import KeelChain
import KeelCrypto
import KeelProof
import KeelTestSupport
import Logging
import XCTest

@testable import KeelNode

/// What becomes of the blocks a prover has not proven yet: shutdown proves the queued ones
/// (bounded by a timeout, the rest counted), and a start proves the stored blocks that have no
/// proof, those at or below the anchor included when a parent state can be had.
final class NodeProverQueueTests: InProcessNodeTestCase {
    /// One genesis time for every node of a test: a node restarted on the data directory must
    /// run the same chain clock (else its stored head lies ahead of its clock).
    private var genesisTimeMs: UInt64 = 0

    override func setUpWithError() throws {
        genesisTimeMs = SlotClock.systemNowMs() + 300
        try super.setUpWithError()
    }


    private static let slotMs: UInt64 = 250

    private static let genesis = GenesisFile.devnet(
        validatorCount: 4, stake: Stake(32 * Preset.devnet.stakeUnit), slotMs: slotMs, preset: .devnet,
        genesisTimeMs: 0, randaoChainLength: 256, programs: [])

    private var dataPath: String { directory.appendingPathComponent("data").path }

    /// All four validators, the prover key if `prover`, genesis at the test's ``genesisTimeMs``.
    private func config(prover: Bool) -> NodeConfig {
        var config = NodeConfig(genesis: Self.genesis, dataDirectory: dataPath)
        config.genesisTimeMs = genesisTimeMs
        config.validatorIndices = (0..<4).map { ValidatorIndex(UInt64($0)) }
        config.proverSecretKey = prover ? DevnetKeys.proverSecretKey : nil
        return config
    }

    private static func quietLogger() -> Logger {
        var logger = Logger(label: "keel.node")
        logger.logLevel = .critical
        return logger
    }

    private func openDatabase() throws -> ChainDatabase {
        try ChainDatabase.open(
            path: directory.appendingPathComponent("data").appendingPathComponent(ChainDatabase.fileName).path,
            genesisRoot: Self.genesis.genesisRoot)
    }

    /// Runs a node until its head reaches `headSlot`, shuts it down and returns the stored blocks.
    private func runNode(prover: Bool, headSlot: UInt64) async throws -> [SignedBlock] {
        let node = try Node(config: config(prover: prover), logger: Self.quietLogger())
        self.node = node
        try await node.start()
        let reached = try await poll { await node.head.slot.rawValue >= headSlot }
        XCTAssertTrue(reached, "the head reaches slot \(headSlot)")
        await node.shutdown()
        self.node = nil
        let database = try openDatabase()
        defer { database.close() }
        return try database.blocks(fromSlot: Slot(0), toSlot: Slot(1_000))
    }

    // MARK: Shutdown

    func testShutdownProvesEveryQueuedBlock() async throws {
        let node = try Node(config: config(prover: true), logger: Self.quietLogger())
        self.node = node
        try await node.start()
        let prover = try XCTUnwrap(node.prover)
        // Held: every block imported from now on waits in the queue until shutdown.
        prover.queue.suspend()
        var isSuspended = true
        defer { if isSuspended { prover.queue.resume() } }
        let reached = try await poll { prover.pendingCount >= 3 }
        XCTAssertTrue(reached, "blocks wait in the queue")

        isSuspended = false
        let resume = Task {
            try? await Task.sleep(nanoseconds: 100_000_000)
            prover.queue.resume()
        }
        await node.shutdown()
        await resume.value
        self.node = nil
        XCTAssertEqual(prover.pendingCount, 0)

        let database = try openDatabase()
        defer { database.close() }
        let blocks = try database.blocks(fromSlot: Slot(0), toSlot: Slot(1_000))
        XCTAssertGreaterThanOrEqual(blocks.count, 3)
        XCTAssertEqual(try database.unprovenBlocks(countMax: 100).map(\.message.slot), [], "every block is proven")
        XCTAssertEqual(try database.provenBlockCount(), blocks.count)
        for block in blocks {
            XCTAssertTrue(try database.hasProvenBlock(blockRoot: block.message.hashTreeRoot), "slot \(block.message.slot)")
        }
    }

    func testADrainThatTimesOutStopsAfterTheBlockInProgressAndCountsTheRest() async throws {
        var chain = try TestChain(validatorCount: 4)
        var jobs: [(block: SignedBlock, preState: ChainState)] = []
        for slot in 1...4 {
            let preState = chain.state
            jobs.append((try chain.advance(to: Slot(UInt64(slot))), preState))
        }
        let database = try ChainDatabase.open(
            path: directory.appendingPathComponent("chain.sqlite").path, genesisRoot: chain.state.genesisRoot)
        defer { database.close() }
        let prover = try NodeProver(
            secretKey: DevnetKeys.proverSecretKey, genesis: Self.genesis, database: database, metrics: NodeMetrics(),
            logger: Self.quietLogger())
        prover.queue.suspend()
        let worker = Task.detached { await prover.run() }
        for job in jobs { prover.submit(job.block, preState: job.preState) }
        XCTAssertEqual(prover.pendingCount, jobs.count)
        let resume = Task {
            try? await Task.sleep(nanoseconds: 300_000_000)
            prover.queue.resume()
        }
        let left = await prover.drain(worker: worker, timeoutMs: 50)
        await resume.value

        let proven = try database.provenBlockCount()
        XCTAssertEqual(left + proven, jobs.count, "each block is proven or counted as left")
        XCTAssertGreaterThanOrEqual(left, jobs.count - 1, "only the block in progress is proven after the timeout")
        XCTAssertTrue(try database.hasProvenBlock(blockRoot: jobs[0].block.message.hashTreeRoot) || proven == 0)
    }

    // MARK: Start

    /// Blocks imported without a prover, the anchor then moved to the third block (as
    /// finality would): a prover start proves them all, those at or below the anchor on the
    /// genesis state and states it re-executes, those above on the store's.
    func testAStartProvesStoredBlocksWithoutAProofIncludingThoseAtOrBelowTheAnchor() async throws {
        let blocks = try await runNode(prover: false, headSlot: 5)
        XCTAssertGreaterThanOrEqual(blocks.count, 5)
        let anchorBlock = try moveAnchor(to: blocks, count: 3)
        let database = try openDatabase()
        XCTAssertEqual(try database.unprovenBlockCount(), blocks.count)
        XCTAssertEqual(try database.unprovenBlocks(countMax: 2).map(\.message.slot), blocks.prefix(2).map(\.message.slot))
        database.close()

        var config = config(prover: true)
        config.validatorIndices = []  // No new blocks: exactly the stored ones get proven.
        let node = try Node(config: config, logger: Self.quietLogger())
        self.node = node
        let finalized = await node.finalizedCheckpoint
        XCTAssertEqual(finalized.root, anchorBlock.message.hashTreeRoot, "the store starts at the moved anchor")
        try await node.start()
        let proven = try await poll { try node.chainDatabase.provenBlockCount() == blocks.count }
        XCTAssertTrue(proven, "all \(blocks.count) stored blocks are proven: \((try? node.chainDatabase.provenBlockCount()) ?? -1)")

        let verifier = StubSignedClaimProofSystem(proverKey: try XCTUnwrap(Self.genesis.proverKey), genesisRoot: Self.genesis.genesisRoot)
        var genesisState = try ChainState.genesis(Self.genesis.config)
        var parentStateRoot = genesisState.hashTreeRoot()
        for block in blocks {
            let record = try XCTUnwrap(try node.chainDatabase.provenBlock(blockRoot: block.message.hashTreeRoot))
            XCTAssertEqual(record.claim.preStateRoot, parentStateRoot, "slot \(block.message.slot) is proven on its parent")
            XCTAssertEqual(record.claim.postStateRoot, block.message.stateRoot)
            XCTAssertNoThrow(try verifier.verify(record.proof, of: record.claim))
            parentStateRoot = block.message.stateRoot
        }
        XCTAssertTrue(node.metrics.exposition().contains("keel_proof_failures_total 0"))
    }

    /// The same, with the first block already proven: the second has no parent state to be
    /// proven on (below the anchor, no stored state, its parent not re-executed), and so
    /// neither has the third; they are skipped, the rest proven.
    func testAStartSkipsStoredBlocksWhoseParentStateIsNotAvailable() async throws {
        let blocks = try await runNode(prover: false, headSlot: 5)
        XCTAssertGreaterThanOrEqual(blocks.count, 5)
        try moveAnchor(to: blocks, count: 3)
        let database = try openDatabase()
        let first = try BlockProver(system: StubSignedClaimProofSystem(
            proverSecretKey: DevnetKeys.proverSecretKey, genesisRoot: Self.genesis.genesisRoot)
        ).prove(blocks[0], preState: try ChainState.genesis(Self.genesis.config))
        try database.putProvenBlock(ProvenBlockRecord(slot: blocks[0].message.slot, proven: first))
        database.close()

        var config = config(prover: true)
        config.validatorIndices = []
        let node = try Node(config: config, logger: Self.quietLogger())
        self.node = node
        try await node.start()
        let proven = try await poll { try node.chainDatabase.provenBlockCount() == blocks.count - 2 }
        XCTAssertTrue(proven, "all but two blocks are proven: \((try? node.chainDatabase.provenBlockCount()) ?? -1)")
        XCTAssertEqual(try node.chainDatabase.unprovenBlocks(countMax: 10).map(\.message.slot), [blocks[1].message.slot, blocks[2].message.slot])
        XCTAssertEqual(node.prover?.pendingCount, 0)
    }

    /// Stores the post-state of the `count`th block (re-executed from genesis) and makes that
    /// block the anchor, as finalizing it would.
    @discardableResult
    private func moveAnchor(to blocks: [SignedBlock], count: Int) throws -> SignedBlock {
        for (parent, child) in zip(blocks, blocks.dropFirst()) {
            XCTAssertEqual(child.message.parentRoot, parent.message.hashTreeRoot, "one node's blocks form a chain")
        }
        var state = try ChainState.genesis(Self.genesis.config)
        for block in blocks.prefix(count) { try state.stateTransition(block) }
        let anchorBlock = blocks[count - 1]
        let root = anchorBlock.message.hashTreeRoot
        XCTAssertEqual(state.hashTreeRoot(), anchorBlock.message.stateRoot)
        let database = try openDatabase()
        defer { database.close() }
        try database.putState(blockRoot: root, state: state)
        let checkpoint = Checkpoint(epoch: state.getCurrentEpoch(), root: root)
        try database.setAnchor(ForkChoiceAnchor(blockRoot: root, finalized: checkpoint, justified: checkpoint))
        return anchorBlock
    }
}
