import KeelChain
@testable import KeelConsensus
import KeelCrypto
import XCTest

/// The node core's trust boundary: forged input of every kind from a peer is refused, the peer
/// penalized, nothing relayed, pooled or observed by the slashing detector; each test also
/// sends the genuine counterpart, which gets through, so that it aims at the check.
final class NodeCoreTrustBoundaryTests: XCTestCase {
    private var devnet: Devnet!
    private let peer = PeerID(7)
    private static let garbage = Signature(bytes: [UInt8](repeating: 0xAB, count: 64))!

    override func setUpWithError() throws {
        devnet = try Devnet(validatorCount: 4)
    }

    private func follower() -> NodeCore<DevnetSigner> {
        NodeCore(anchorState: devnet.genesis, currentSlot: Slot(0), signer: .none)
    }

    private static func broadcasts(_ actions: [NodeAction]) -> [Gossip] {
        actions.compactMap { if case let .broadcast(gossip, _) = $0 { gossip } else { nil } }
    }

    private static func penalties(_ actions: [NodeAction]) -> [PeerOffence] {
        actions.compactMap { if case let .penalize(_, offence) = $0 { offence } else { nil } }
    }

    private func transfer(nonce: UInt64 = 0) -> Transaction {
        let sender = Address(devnet.secretKeys[0].publicKey)
        return Transaction(sender: sender, nonce: nonce, fee: Stake(10), kind: .transfer(recipient: sender, amount: Stake(1)))
    }

    func testForgedTransactionsAreRefusedAndTheirSenderPenalized() {
        var core = follower()
        let forgeries = [
            SignedTransaction(message: transfer(), signature: Self.garbage),
            SignedTransaction(message: transfer(), signature: devnet.secretKeys[1].sign(devnet.genesis.signingRoot(of: transfer()))),
        ]
        for forged in forgeries {
            let actions = core.handle(.transaction(forged, from: peer))
            XCTAssertTrue(Self.broadcasts(actions).isEmpty, "a forged transaction is not relayed")
            XCTAssertEqual(Self.penalties(actions), [.invalidOperation])
            XCTAssertEqual(core.transactionPool.count, 0, "nor pooled")
            XCTAssertThrowsError(try core.submitTransaction(forged)) { error in
                XCTAssertEqual(error as? TransactionSubmissionError, .rejected(.badSignature))
            }
        }
        let genuine = SignedTransaction(message: transfer(), signature: devnet.secretKeys[0].sign(devnet.genesis.signingRoot(of: transfer())))
        let actions = core.handle(.transaction(genuine, from: peer))
        XCTAssertEqual(Self.broadcasts(actions).count, 1, "the genuine transaction is relayed")
        XCTAssertTrue(Self.penalties(actions).isEmpty)
        XCTAssertEqual(core.transactionPool.count, 1)
    }

    /// The first slot of epoch 0 with a committee member, and that member's vote for genesis.
    private func firstVote() throws -> (slot: Slot, validator: ValidatorIndex, data: AttestationData) {
        for offset in 0..<devnet.genesis.preset.slotsPerEpoch {
            let slot = Slot(offset)
            guard let validator = devnet.genesis.getBeaconCommittee(slot).first else { continue }
            var view = devnet.genesis
            if slot > view.slot { try view.processSlots(slot) }
            return (slot, validator, devnet.attestationData(headRoot: devnet.genesisBlockRoot, view: view, slot: slot))
        }
        throw XCTSkip("no committee in epoch 0")
    }

    func testAForgedVoteIsNeverPairedWithTheRealOneAsEvidence() throws {
        var core = follower()
        let (slot, validator, data) = try firstVote()
        _ = core.handle(.tick(Slot(slot.rawValue + 1)))
        let real = devnet.sign(data, by: validator)
        XCTAssertEqual(Self.broadcasts(core.handle(.attestation(real, from: peer))).count, 1, "the real vote is relayed")
        var conflicting = data
        conflicting.source.root = SHA256.hash(data.source.root)
        let forged = Attestation(validatorIndex: validator, data: conflicting, signature: Self.garbage)
        let actions = core.handle(.attestation(forged, from: peer))
        XCTAssertTrue(Self.broadcasts(actions).isEmpty, "a forged vote is not relayed")
        XCTAssertEqual(Self.penalties(actions), [.invalidAttestation])
        XCTAssertTrue(core.detector.pendingSlashings(state: devnet.genesis).attester.isEmpty, "no evidence from a forged vote")
        // The same double vote, really signed, is evidence: the check above is what stopped it.
        _ = core.handle(.attestation(devnet.sign(conflicting, by: validator), from: peer))
        XCTAssertEqual(core.detector.pendingSlashings(state: devnet.genesis).attester.count, 1)
    }

    func testForgedSlashingsAreNotRelayedNorPooled() throws {
        var core = follower()
        let header = BlockHeader(slot: Slot(1), proposerIndex: ValidatorIndex(2), parentRoot: devnet.genesisBlockRoot, stateRoot: .zero, bodyRoot: .zero)
        var other = header
        other.stateRoot = SHA256.hash(Root.zero)
        let forgedProposer = ProposerSlashing(
            signedHeader1: SignedBlockHeader(message: header, signature: Self.garbage),
            signedHeader2: SignedBlockHeader(message: other, signature: Self.garbage))
        var actions = core.handle(.proposerSlashing(forgedProposer, from: peer))
        XCTAssertTrue(Self.broadcasts(actions).isEmpty)
        XCTAssertEqual(Self.penalties(actions), [.invalidOperation])
        let data = devnet.attestationData(headRoot: devnet.genesisBlockRoot, view: devnet.genesis, slot: Slot(0))
        var conflicting = data
        conflicting.source.root = SHA256.hash(data.source.root)
        let forgedAttester = AttesterSlashing(
            attestation1: Attestation(validatorIndex: ValidatorIndex(1), data: data, signature: Self.garbage),
            attestation2: Attestation(validatorIndex: ValidatorIndex(1), data: conflicting, signature: Self.garbage))
        actions = core.handle(.attesterSlashing(forgedAttester, from: peer))
        XCTAssertTrue(Self.broadcasts(actions).isEmpty)
        XCTAssertEqual(Self.penalties(actions), [.invalidOperation])
        let pending = core.detector.pendingSlashings(state: devnet.genesis)
        XCTAssertTrue(pending.proposer.isEmpty && pending.attester.isEmpty, "no forged evidence pending")

        // Rightly signed by the real key, but for another chain: replayed evidence, refused.
        let otherChain = SHA256.hash(devnet.genesis.genesisRoot)
        let signForOtherChain = { (header: BlockHeader) in
            SignedBlockHeader(
                message: header,
                signature: self.devnet.secretKeys[2].sign(
                    computeSigningRoot(header.hashTreeRoot, domain: .blockProposal, genesisRoot: otherChain)))
        }
        actions = core.handle(.proposerSlashing(
            ProposerSlashing(signedHeader1: signForOtherChain(header), signedHeader2: signForOtherChain(other)), from: peer))
        XCTAssertTrue(Self.broadcasts(actions).isEmpty)
        XCTAssertEqual(Self.penalties(actions), [.invalidOperation])
        XCTAssertTrue(core.store.equivocatingIndices.isEmpty, "no forged or replayed evidence discounts a vote in fork choice")

        let sign = { (header: BlockHeader) in
            SignedBlockHeader(message: header, signature: self.devnet.secretKeys[2].sign(self.devnet.genesis.signingRoot(of: header)))
        }
        actions = core.handle(.proposerSlashing(ProposerSlashing(signedHeader1: sign(header), signedHeader2: sign(other)), from: peer))
        XCTAssertEqual(Self.broadcasts(actions).count, 1, "genuine evidence is relayed")
        XCTAssertEqual(core.detector.pendingSlashings(state: devnet.genesis).proposer.count, 1)
        XCTAssertEqual(core.store.equivocatingIndices, [ValidatorIndex(2)], "genuine evidence marks the double proposer")
    }

    func testABlockWithABadProposerSignatureIsRefused() throws {
        var core = follower()
        _ = core.handle(.tick(Slot(1)))
        let (block, _) = try devnet.makeBlock(on: devnet.genesis, slot: Slot(1))
        let forged = SignedBlock(message: block.message, signature: Self.garbage)
        let actions = core.handle(.block(forged, from: peer))
        XCTAssertTrue(Self.broadcasts(actions).isEmpty)
        XCTAssertEqual(Self.penalties(actions), [.invalidBlock])
        XCTAssertFalse(core.store.contains(block.message.hashTreeRoot))
        XCTAssertEqual(Self.broadcasts(core.handle(.block(block, from: peer))).count, 1, "the genuine block is imported and relayed")
        XCTAssertTrue(core.store.contains(block.message.hashTreeRoot))
    }

    /// A proposer offered forged operations of every kind makes a block that a fresh node
    /// imports: nothing forged reached it.
    func testAProposerOfferedForgeriesMakesABlockOthersImport() throws {
        let everyone = (0..<4).map { ValidatorIndex(UInt64($0)) }
        var proposer = NodeCore(anchorState: devnet.genesis, currentSlot: Slot(0), signer: DevnetSigner(indices: everyone))
        _ = proposer.handle(.transaction(SignedTransaction(message: transfer(), signature: Self.garbage), from: peer))
        let (slot, validator, data) = try firstVote()
        let next = Slot(slot.rawValue + 1)
        _ = proposer.handle(.tick(next))
        _ = proposer.handle(.attestation(Attestation(validatorIndex: validator, data: data, signature: Self.garbage), from: peer))
        let actions = proposer.handle(.slotStart(next))
        let blocks = Self.broadcasts(actions).compactMap { if case let .block(imported) = $0 { imported.block } else { nil } }
        let block = try XCTUnwrap(blocks.first, "the proposer proposed")
        XCTAssertTrue(block.message.body.transactions.isEmpty && block.message.body.attestations.isEmpty)
        var other = follower()
        _ = other.handle(.tick(next))
        XCTAssertTrue(Self.penalties(other.handle(.block(block, from: peer))).isEmpty)
        XCTAssertTrue(other.store.contains(block.message.hashTreeRoot))
    }
}
