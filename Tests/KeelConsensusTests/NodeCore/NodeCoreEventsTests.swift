import KeelChain
@testable import KeelConsensus
import KeelCrypto
import XCTest

/// The chain events a node core reports (`GET /events`): a block and a head for each import,
/// justified and finalized checkpoints as they move, a reorg with its depth when the head leaves
/// its branch, slashings when new evidence is found, and transactions as they are pooled.
final class NodeCoreEventsTests: XCTestCase {
    private var devnet: Devnet!

    override func setUpWithError() throws {
        devnet = try Devnet(validatorCount: 4)
    }

    private static func events(_ actions: [NodeAction]) -> [ChainEvent] {
        actions.compactMap { if case let .event(event) = $0 { event } else { nil } }
    }

    func testARunningChainReportsBlocksHeadsAndCheckpoints() {
        var core = NodeCore(
            anchorState: devnet.genesis, currentSlot: Slot(0), signer: DevnetSigner(indices: (0..<4).map { ValidatorIndex($0) }))
        var events: [ChainEvent] = []
        let lastSlot = 5 * devnet.genesis.preset.slotsPerEpoch
        for slot in 1...lastSlot {
            events += Self.events(core.handle(.slotStart(Slot(slot))))
            events += Self.events(core.handle(.attestationDeadline(Slot(slot))))
        }
        let blocks = events.compactMap { if case let .block(slot, root) = $0 { (slot, root) } else { nil } }
        let heads = events.compactMap { if case let .head(slot, block, state, _) = $0 { (slot, block, state) } else { nil } }
        XCTAssertEqual(blocks.map(\.0.rawValue), Array(1...lastSlot), "one block event per slot's block")
        XCTAssertEqual(heads.map(\.1), blocks.map(\.1), "each new block became the head, in order")
        // Blocks below finality left the store; those still there are enough to check against.
        let held = heads.filter { core.store.block($0.1) != nil }
        XCTAssertGreaterThan(held.count, 8)
        for head in held { XCTAssertEqual(head.2, core.store.block(head.1)?.message.stateRoot, "a head event names its block's state root") }

        let justified = events.compactMap { if case let .justifiedCheckpoint(checkpoint) = $0 { checkpoint } else { nil } }
        let finalized = events.compactMap { if case let .finalizedCheckpoint(checkpoint, state) = $0 { (checkpoint, state) } else { nil } }
        XCTAssertFalse(justified.isEmpty)
        XCTAssertFalse(finalized.isEmpty)
        XCTAssertEqual(justified.map(\.epoch), justified.map(\.epoch).sorted(), "justification only moves forward")
        XCTAssertEqual(Set(justified.map(\.epoch)).count, justified.count, "each move is reported once")
        XCTAssertEqual(finalized.last?.0, core.store.finalizedCheckpoint)
        for (checkpoint, state) in finalized {
            if var post = core.store.state(checkpoint.root) { XCTAssertEqual(state, post.hashTreeRoot(), "the finalized block's post-state root") }
        }
        XCTAssertFalse(events.contains { if case .chainReorg = $0 { true } else { false } }, "a linear chain has no reorg")
        let epochStarts = events.compactMap { if case let .head(slot, _, _, true) = $0 { slot.rawValue } else { nil } }
        XCTAssertEqual(epochStarts, (1...5).map { $0 * devnet.genesis.preset.slotsPerEpoch }, "the first block of each epoch")
    }

    func testAHeadThatLeavesItsBranchIsAReorgWithItsDepth() throws {
        var core = NodeCore(anchorState: devnet.genesis, currentSlot: Slot(0), signer: DevnetSigner.none)
        let peer = PeerID(1)
        let (a, aState) = try devnet.makeBlock(on: devnet.genesis, slot: Slot(1))
        let (b, _) = try devnet.makeBlock(on: devnet.genesis, slot: Slot(2))
        _ = core.handle(.tick(Slot(2)))
        _ = core.handle(.block(a, from: peer))
        _ = core.handle(.block(b, from: peer))
        let (aRoot, bRoot) = (a.message.hashTreeRoot, b.message.hashTreeRoot)
        let before = core.head.root
        let loser = before == aRoot ? bRoot : aRoot
        let loserState = before == aRoot ? try XCTUnwrap(core.store.state(bRoot)) : aState
        // A slot of epoch 0 after both blocks whose committee is not empty (4 validators, 8 slots).
        let slot = try XCTUnwrap((2..<8).map { Slot(UInt64($0)) }.first { !devnet.genesis.getBeaconCommittee($0).isEmpty })
        _ = core.handle(.tick(slot))
        let votes = try devnet.attest(headRoot: loser, headState: loserState, slot: slot)
        XCTAssertFalse(votes.isEmpty)
        for vote in votes { _ = core.handle(.attestation(vote, from: peer)) }
        let events = Self.events(core.handle(.slotStart(Slot(slot.rawValue + 1))))
        XCTAssertEqual(core.head.root, loser, "the votes moved the head to the other branch")
        let reorg = try XCTUnwrap(events.compactMap { if case let .chainReorg(reorg) = $0 { reorg } else { nil } }.first, "\(events)")
        XCTAssertEqual(reorg.oldHeadBlock, before)
        XCTAssertEqual(reorg.newHeadBlock, loser)
        XCTAssertEqual(reorg.depth, core.store.slot(of: before)?.rawValue, "back to genesis, the common ancestor at slot 0")
        XCTAssertEqual(reorg.slot, core.store.slot(of: loser))
        XCTAssertEqual(events.last, .head(slot: reorg.slot, block: loser, state: reorg.newHeadState, epochTransition: false), "the head follows its reorg")
    }

    func testNewEvidenceAndPooledTransactionsAreReported() throws {
        var core = NodeCore(anchorState: devnet.genesis, currentSlot: Slot(0), signer: DevnetSigner.none)
        let peer = PeerID(1)
        _ = core.handle(.tick(Slot(1)))
        let (first, _) = try devnet.makeBlock(on: devnet.genesis, slot: Slot(1))
        let (second, _) = try devnet.makeBlock(
            on: devnet.genesis, slot: Slot(1), attestations: [], operations: BlockOperations(transactions: [transfer()]))
        XCTAssertNotEqual(first.message.hashTreeRoot, second.message.hashTreeRoot)
        XCTAssertTrue(Self.events(core.handle(.block(first, from: peer))).allSatisfy { if case .proposerSlashing = $0 { false } else { true } })
        let events = Self.events(core.handle(.block(second, from: peer)))
        let slashings = events.compactMap { if case let .proposerSlashing(slashing) = $0 { slashing } else { nil } }
        XCTAssertEqual(slashings.count, 1, "the second block of the proposer's slot is the evidence")
        XCTAssertEqual(
            Set([slashings[0].signedHeader1.message.hashTreeRoot, slashings[0].signedHeader2.message.hashTreeRoot]),
            Set([first.message.hashTreeRoot, second.message.hashTreeRoot]))

        let pending = transfer(nonce: 1)
        let (verified, actions) = try core.submitTransaction(pending)
        XCTAssertEqual(Self.events(actions), [.transactionPooled(root: verified.root)])
        XCTAssertEqual(Self.events(try core.submitTransaction(pending).actions), [], "a duplicate is not reported again")
    }

    private func transfer(nonce: UInt64 = 0) -> SignedTransaction {
        let sender = Address(devnet.secretKeys[0].publicKey)
        let message = Transaction(sender: sender, nonce: nonce, fee: Stake(10), kind: .transfer(recipient: sender, amount: Stake(1)))
        return SignedTransaction(message: message, signature: devnet.secretKeys[0].sign(devnet.genesis.signingRoot(of: message)))
    }
}
