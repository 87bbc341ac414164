@testable import KeelConsensus
import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// Asserts that `body` throws exactly `expected`.
func assertThrows(
    _ expected: ForkChoiceError, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws(ForkChoiceError) -> Void
) {
    do {
        try body()
        XCTFail("expected \(expected), got no error", file: file, line: line)
    } catch {
        XCTAssertEqual(error, expected, file: file, line: line)
    }
}

final class ForkChoiceStoreTests: XCTestCase {
    // MARK: Anchor

    func testAnchorIsJustifiedFinalizedAndHead() throws {
        let devnet = try Devnet()
        let store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 0)
        let anchor = Checkpoint(epoch: 0, root: devnet.genesisBlockRoot)
        XCTAssertEqual(store.justifiedCheckpoint, anchor)
        XCTAssertEqual(store.finalizedCheckpoint, anchor)
        XCTAssertEqual(store.bestJustifiedCheckpoint, anchor)
        XCTAssertEqual(store.getHead(), devnet.genesisBlockRoot)
        XCTAssertEqual(store.blockCount, 1)
        XCTAssertNil(store.block(devnet.genesisBlockRoot), "the anchor's body was never seen")
        XCTAssertNotNil(store.state(devnet.genesisBlockRoot))
        XCTAssertEqual(store.getAncestor(devnet.genesisBlockRoot, slot: 5), devnet.genesisBlockRoot)
    }

    // MARK: on_block

    func testOnBlockRejectsUnknownParent() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 2)
        let first = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let second = try devnet.makeBlock(on: first.state, slot: 2)
        assertThrows(.unknownParent(first.block.message.hashTreeRoot)) { () throws(ForkChoiceError) in
            try store.onBlock(second.block)
        }
        XCTAssertEqual(store.blockCount, 1, "a refused block leaves the store as it was")
        try store.onBlock(first.block)
        let secondRoot = try store.onBlock(second.block)
        XCTAssertEqual(store.getHead(), secondRoot)
        XCTAssertEqual(store.getAncestor(secondRoot, slot: 1), first.block.message.hashTreeRoot)
        XCTAssertEqual(store.getAncestor(secondRoot, slot: 0), devnet.genesisBlockRoot)
    }

    func testOnBlockRejectsFutureBlockUntilItsSlot() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 0)
        let block = try devnet.makeBlock(on: devnet.genesis, slot: 1).block
        assertThrows(.futureBlock(blockSlot: 1, currentSlot: 0)) { () throws(ForkChoiceError) in try store.onBlock(block) }
        store.onTick(1)
        XCTAssertEqual(try store.onBlock(block), block.message.hashTreeRoot)
        XCTAssertEqual(try store.onBlock(block), block.message.hashTreeRoot, "a known block is accepted again")
        XCTAssertEqual(store.blockCount, 2)
    }

    func testOnBlockRejectsBadProposerSignatureUnderEveryCheckingStrategy() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 1)
        var block = try devnet.makeBlock(on: devnet.genesis, slot: 1).block
        let wrongSigner = (block.message.proposerIndex.rawValue + 1) % 16
        block.signature = devnet.secretKeys[Int(wrongSigner)].sign(devnet.genesis.signingRoot(of: block.message))
        assertThrows(.invalidBlock(.blockSignatureInvalid)) { () throws(ForkChoiceError) in try store.onBlock(block) }
        assertThrows(.invalidBlock(.signatureBatchInvalid)) { () throws(ForkChoiceError) in
            try store.onBlock(block, strategy: .collect)
        }
        XCTAssertEqual(store.blockCount, 1)
    }

    func testOnBlockRejectsBlockNotDescendingFromFinalized() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 3)
        let left = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let right = try devnet.makeBlock(on: devnet.genesis, slot: 2)
        let leftRoot = try store.onBlock(left.block)
        let rightRoot = try store.onBlock(right.block)
        // Finality never reaches a fork without pruning the other branch, so the rule is checked
        // on a store whose finalized checkpoint is moved by hand, before any pruning.
        store.finalizedCheckpoint = Checkpoint(epoch: 0, root: leftRoot)
        let child = try devnet.makeBlock(on: right.state, slot: 3).block
        assertThrows(.notDescendantOfFinalized(parentRoot: rightRoot, finalized: store.finalizedCheckpoint)) {
            () throws(ForkChoiceError) in try store.onBlock(child)
        }
        XCTAssertNoThrow(try store.onBlock(try devnet.makeBlock(on: left.state, slot: 3).block))
    }

    // MARK: get_head

    /// A store with two children of genesis, at slots 1 (left) and 2 (right), at slot 4.
    private func forkedStore(
        _ devnet: Devnet
    ) throws -> (ForkChoiceStore, left: (root: Root, state: ChainState), right: (root: Root, state: ChainState)) {
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 2)
        let left = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let right = try devnet.makeBlock(on: devnet.genesis, slot: 2)
        let leftRoot = try store.onBlock(left.block)
        let rightRoot = try store.onBlock(right.block)
        store.onTick(4)
        return (store, (leftRoot, left.state), (rightRoot, right.state))
    }

    func testHeadFollowsHeavierBranchAndFlipsWhenVotesMove() throws {
        let devnet = try Devnet()
        let (forked, left, right) = try forkedStore(devnet)
        var store = forked
        let (leftRoot, rightRoot) = (left.root, right.root)

        // Slot 2's committee (two validators) votes right: right is heavier.
        for attestation in try devnet.attest(headRoot: rightRoot, headState: right.state, slot: 2) {
            try store.onAttestation(attestation, isFromBlock: false)
        }
        XCTAssertEqual(store.getHead(), rightRoot)
        // Slot 1's committee and one of slot 3's vote left: three against two.
        let slot1Committee = devnet.genesis.getBeaconCommittee(1)
        let slot3Voter = devnet.genesis.getBeaconCommittee(3)[0]
        var votes = try devnet.attest(headRoot: leftRoot, headState: left.state, slot: 1)
        votes += try devnet.attest(headRoot: leftRoot, headState: left.state, slot: 3) { $0 == slot3Voter }
        for attestation in votes { try store.onAttestation(attestation, isFromBlock: false) }
        XCTAssertEqual(store.getHead(), leftRoot)
        let stake = devnet.genesis.preset.maxEffectiveStake.rawValue
        XCTAssertEqual(store.getLatestAttestingBalance(leftRoot), Stake(3 * stake))
        XCTAssertEqual(store.getLatestAttestingBalance(rightRoot), Stake(2 * stake))
        XCTAssertEqual(store.getLatestAttestingBalance(devnet.genesisBlockRoot), Stake(5 * stake))

        // In epoch 1, slot 1's committee moves to the right branch: one against four.
        store.onTick(16)
        let duties = try Duties.attesterDuties(state: right.state, epoch: 1)
        for validator in slot1Committee {
            let data = AttestationData(
                slot: duties[validator]!, beaconBlockRoot: rightRoot, source: right.state.currentJustifiedCheckpoint,
                target: Checkpoint(epoch: 1, root: rightRoot))
            try store.onAttestation(devnet.sign(data, by: validator), isFromBlock: false)
        }
        XCTAssertEqual(store.getHead(), rightRoot)
        XCTAssertEqual(store.getLatestAttestingBalance(leftRoot), Stake(stake))
        XCTAssertEqual(store.getLatestAttestingBalance(rightRoot), Stake(4 * stake))
    }

    /// phase0 fork choice `on_attester_slashing`: once a validator is shown to have double
    /// voted, its latest message stops weighing, and the head follows the remaining votes.
    func testAnEquivocatorsVoteStopsCountingAfterItsSlashing() throws {
        let devnet = try Devnet()
        let (forked, left, right) = try forkedStore(devnet)
        var store = forked
        let (leftRoot, rightRoot) = (left.root, right.root)
        // Slot 2's committee (two validators) votes right, one of slot 1's votes left.
        let rightVotes = try devnet.attest(headRoot: rightRoot, headState: right.state, slot: 2)
        XCTAssertEqual(rightVotes.count, 2)
        for attestation in rightVotes { try store.onAttestation(attestation, isFromBlock: false) }
        let leftVoter = devnet.genesis.getBeaconCommittee(1)[0]
        for attestation in try devnet.attest(headRoot: leftRoot, headState: left.state, slot: 1, participates: { $0 == leftVoter }) {
            try store.onAttestation(attestation, isFromBlock: false)
        }
        XCTAssertEqual(store.getHead(), rightRoot, "two votes against one")
        // Both right voters double voted: evidence against each.
        for vote in rightVotes {
            var conflicting = vote.data
            conflicting.source.root = SHA256.hash(vote.data.source.root)
            let slashing = AttesterSlashing(attestation1: vote, attestation2: devnet.sign(conflicting, by: vote.validatorIndex))
            XCTAssertTrue(store.onAttesterSlashing(slashing))
            XCTAssertFalse(store.onAttesterSlashing(slashing), "marked once")
        }
        XCTAssertEqual(store.getHead(), leftRoot, "the equivocators' votes weigh nothing")
        // Two honest different votes are no evidence.
        let honest = AttesterSlashing(attestation1: rightVotes[0], attestation2: rightVotes[0])
        var fresh = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 2)
        XCTAssertFalse(fresh.onAttesterSlashing(honest))
    }

    /// The departure from phase0: a double proposal also marks its proposer, whose last vote
    /// could otherwise no longer be discounted (once slashed it is not slashable again, so no
    /// attester slashing against it can follow).
    func testADoubleProposersVoteStopsCountingAfterItsSlashing() throws {
        let devnet = try Devnet()
        let (forked, left, right) = try forkedStore(devnet)
        var store = forked
        let (leftRoot, rightRoot) = (left.root, right.root)
        let rightVotes = try devnet.attest(headRoot: rightRoot, headState: right.state, slot: 2)
        for attestation in rightVotes { try store.onAttestation(attestation, isFromBlock: false) }
        let leftVoter = devnet.genesis.getBeaconCommittee(1)[0]
        for attestation in try devnet.attest(headRoot: leftRoot, headState: left.state, slot: 1, participates: { $0 == leftVoter }) {
            try store.onAttestation(attestation, isFromBlock: false)
        }
        XCTAssertEqual(store.getHead(), rightRoot, "two votes against one")
        let signature = Signature(bytes: [UInt8](repeating: 5, count: 64))!
        func header(_ proposer: ValidatorIndex, slot: Slot, tag: UInt8) -> SignedBlockHeader {
            SignedBlockHeader(
                message: BlockHeader(
                    slot: slot, proposerIndex: proposer, parentRoot: .zero, stateRoot: .zero,
                    bodyRoot: Root(bytes: [UInt8](repeating: tag, count: 32))!),
                signature: signature)
        }
        let first = rightVotes[0].validatorIndex
        // Two headers of different slots, or one header twice, prove nothing.
        XCTAssertFalse(store.onProposerSlashing(ProposerSlashing(
            signedHeader1: header(first, slot: 1, tag: 1), signedHeader2: header(first, slot: 2, tag: 2))))
        XCTAssertFalse(store.onProposerSlashing(ProposerSlashing(
            signedHeader1: header(first, slot: 1, tag: 1), signedHeader2: header(first, slot: 1, tag: 1))))
        XCTAssertEqual(store.getHead(), rightRoot)
        for vote in rightVotes {
            let slashing = ProposerSlashing(
                signedHeader1: header(vote.validatorIndex, slot: 1, tag: 1), signedHeader2: header(vote.validatorIndex, slot: 1, tag: 2))
            XCTAssertTrue(store.onProposerSlashing(slashing))
            XCTAssertFalse(store.onProposerSlashing(slashing), "marked once")
        }
        XCTAssertEqual(store.getHead(), leftRoot, "the double proposers' votes weigh nothing")
    }

    /// getHead's memo follows each copy's own contents: a copy that changes gets a fresh memo,
    /// and the one left unchanged keeps its head (a memo reset in place, shared by both, would
    /// hand one copy the other's head).
    func testCopiesOfAStoreKeepTheirOwnHead() throws {
        let devnet = try Devnet()
        let (forked, left, right) = try forkedStore(devnet)
        var store = forked
        let (leftRoot, rightRoot) = (left.root, right.root)
        for attestation in try devnet.attest(headRoot: leftRoot, headState: left.state, slot: 1) {
            try store.onAttestation(attestation, isFromBlock: false)
        }
        XCTAssertEqual(store.getHead(), leftRoot)
        let unchanged = store
        XCTAssertEqual(unchanged.getHead(), leftRoot)
        // Three votes for the right block outweigh slot 1's committee.
        var votes = try devnet.attest(headRoot: rightRoot, headState: right.state, slot: 2)
        votes += try devnet.attest(headRoot: rightRoot, headState: right.state, slot: 3)
        for attestation in votes { try store.onAttestation(attestation, isFromBlock: false) }
        XCTAssertEqual(unchanged.getHead(), leftRoot, "the unchanged copy keeps its head")
        XCTAssertEqual(store.getHead(), rightRoot, "the changed copy has its own")
        XCTAssertEqual(unchanged.getHead(), leftRoot)
        XCTAssertEqual(store.getHead(), rightRoot)
    }

    func testTieBreaksToTheHigherRoot() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 2)
        let left = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let right = try devnet.makeBlock(on: devnet.genesis, slot: 2)
        let leftRoot = try store.onBlock(left.block)
        let rightRoot = try store.onBlock(right.block)
        XCTAssertNotEqual(leftRoot, rightRoot)
        XCTAssertEqual(store.getHead(), max(leftRoot, rightRoot), "no votes: the higher root wins")

        store.onTick(3)
        for attestation in try devnet.attest(headRoot: leftRoot, headState: left.state, slot: 1)
            + devnet.attest(headRoot: rightRoot, headState: right.state, slot: 2)
        {
            try store.onAttestation(attestation, isFromBlock: false)
        }
        XCTAssertEqual(store.getLatestAttestingBalance(leftRoot), store.getLatestAttestingBalance(rightRoot))
        XCTAssertEqual(store.getHead(), max(leftRoot, rightRoot), "equal weights: the higher root wins")

        // One more vote for the lower root makes it the head.
        let lower = min(leftRoot, rightRoot)
        let lowerState = lower == leftRoot ? left.state : right.state
        store.onTick(4)
        let vote = try devnet.attest(headRoot: lower, headState: lowerState, slot: 3)[0]
        try store.onAttestation(vote, isFromBlock: false)
        XCTAssertEqual(store.getHead(), lower)
    }

    func testSameSlotSiblingsTieToTheHigherRoot() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 1)
        // The second carries a slot-0 vote for genesis, so the two differ.
        let vote = try devnet.attest(headRoot: devnet.genesisBlockRoot, headState: devnet.genesis, slot: 0)
        let one = try devnet.makeBlock(on: devnet.genesis, slot: 1).block
        let two = try devnet.makeBlock(on: devnet.genesis, slot: 1, attestations: vote).block
        XCTAssertEqual(two.message.body.attestations.count, vote.count)
        let roots = [try store.onBlock(one), try store.onBlock(two)]
        XCTAssertNotEqual(roots[0], roots[1])
        XCTAssertEqual(store.getHead(), roots.max())
    }

    /// phase0 `filter_block_tree`: a branch whose leaf state disagrees with the store's
    /// justified checkpoint is not viable, however heavy. The leaves' checkpoints are rewritten by
    /// hand, as building such states takes epochs of forked finality.
    func testHeadIgnoresBranchesWhoseLeafDisagreesWithTheJustifiedCheckpoint() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 3)
        let left = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let right = try devnet.makeBlock(on: devnet.genesis, slot: 2)
        let leftRoot = try store.onBlock(left.block)
        let rightRoot = try store.onBlock(right.block)
        for attestation in try devnet.attest(headRoot: leftRoot, headState: left.state, slot: 1) {
            try store.onAttestation(attestation, isFromBlock: false)
        }
        XCTAssertEqual(store.getHead(), leftRoot)
        let justified = Checkpoint(epoch: 1, root: devnet.genesisBlockRoot)
        store.justifiedCheckpoint = justified
        XCTAssertEqual(store.getHead(), devnet.genesisBlockRoot, "no leaf agrees: the justified block is the head")
        let rightIndex = store.nodeIndices[rightRoot]!
        let node = store.nodes[rightIndex]
        store.nodes[rightIndex] = BlockNode(
            root: node.root, slot: node.slot, parentIndex: node.parentIndex, justifiedCheckpoint: justified)
        XCTAssertEqual(store.getHead(), rightRoot, "only the agreeing branch is viable, though lighter")
    }

    /// The current `filter_block_tree` text: a leaf descending from the store's finalized block
    /// is viable though its own state never saw that finality (the other side of a healed
    /// partition). Under phase0 v1.0's check of the leaf state's finalized checkpoint no leaf
    /// here would be viable and the head would stick to the justified block.
    func testLeafThatNeverSawTheStoresFinalityIsViableWhenItDescendsFromIt() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 3)
        let child = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let childRoot = try store.onBlock(child.block)
        let grandchild = try devnet.makeBlock(on: child.state, slot: 2)
        let grandchildRoot = try store.onBlock(grandchild.block)
        XCTAssertEqual(grandchild.state.finalizedCheckpoint.epoch, Epoch(0))
        // This store saw epoch 1 (checkpoint block: the child) justified and finalized elsewhere.
        let checkpoint = Checkpoint(epoch: 1, root: childRoot)
        store.finalizedCheckpoint = checkpoint
        store.justifiedCheckpoint = checkpoint
        let grandchildIndex = store.nodeIndices[grandchildRoot]!
        let node = store.nodes[grandchildIndex]
        store.nodes[grandchildIndex] = BlockNode(
            root: node.root, slot: node.slot, parentIndex: node.parentIndex, justifiedCheckpoint: checkpoint)
        XCTAssertEqual(store.getHead(), grandchildRoot)
    }

    // MARK: on_attestation

    func testOnAttestationRejections() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 3)
        let left = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let right = try devnet.makeBlock(on: devnet.genesis, slot: 2)
        let leftRoot = try store.onBlock(left.block)
        let rightRoot = try store.onBlock(right.block)
        let genesis = devnet.genesisBlockRoot
        let source = devnet.genesis.currentJustifiedCheckpoint
        let unknown = SHA256.hash(Array("unknown".utf8))
        let member = devnet.genesis.getBeaconCommittee(1)[0]
        let outsider = devnet.genesis.getBeaconCommittee(2)[0]
        func data(_ slot: Slot, head: Root, target: Checkpoint) -> AttestationData {
            AttestationData(slot: slot, beaconBlockRoot: head, source: source, target: target)
        }
        let valid = data(1, head: leftRoot, target: Checkpoint(epoch: 0, root: genesis))
        let genesisTarget = Checkpoint(epoch: 0, root: genesis)
        let slot3Member = devnet.genesis.getBeaconCommittee(3)[0]
        let cases: [(String, Attestation, OnAttestationInvalid)] = [
            ("future slot", devnet.sign(data(3, head: leftRoot, target: genesisTarget), by: slot3Member),
             .futureSlot(attestationSlot: 3, currentSlot: 3)),
            ("future target epoch",
             devnet.sign(data(8, head: leftRoot, target: Checkpoint(epoch: 1, root: leftRoot)), by: member),
             .futureTargetEpoch(target: 1, current: 0)),
            ("target epoch not the slot's", devnet.sign(data(9, head: leftRoot, target: genesisTarget), by: member),
             .targetEpochDoesNotMatchSlot(target: 0, slot: 9)),
            ("unknown target",
             devnet.sign(data(1, head: leftRoot, target: Checkpoint(epoch: 0, root: unknown)), by: member),
             .unknownTargetRoot(unknown)),
            ("unknown head", devnet.sign(data(1, head: unknown, target: genesisTarget), by: member),
             .unknownHeadBlock(unknown)),
            ("head after the slot", devnet.sign(data(1, head: rightRoot, target: genesisTarget), by: member),
             .headBlockAfterAttestationSlot(blockSlot: 2, attestationSlot: 1)),
            ("target not the head's ancestor",
             devnet.sign(data(2, head: rightRoot, target: Checkpoint(epoch: 0, root: leftRoot)), by: outsider),
             .targetNotAncestorOfHead(target: leftRoot, ancestor: genesis)),
            ("not in the committee", devnet.sign(valid, by: outsider), .notInCommittee(outsider, slot: 1)),
            ("unknown validator",
             Attestation(validatorIndex: 99, data: valid, signature: devnet.sign(valid, by: member).signature),
             .unknownValidator(99)),
            ("bad signature",
             Attestation(validatorIndex: member, data: valid, signature: devnet.sign(valid, by: outsider).signature),
             .badSignature),
        ]
        for (name, attestation, reason) in cases {
            do {
                try store.onAttestation(attestation, isFromBlock: false)
                XCTFail("\(name): accepted")
            } catch {
                XCTAssertEqual(error, .invalidAttestation(reason), name)
            }
        }
        XCTAssertNil(store.latestMessage(member), "no rejected attestation counts")
        XCTAssertNil(store.latestMessage(outsider))
        try store.onAttestation(devnet.sign(valid, by: member), isFromBlock: false)
        XCTAssertEqual(store.latestMessage(member), LatestMessage(epoch: 0, root: leftRoot))
    }

    func testOnAttestationRejectsTargetEpochBeforePreviousUnlessFromBlock() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 1)
        let block = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let root = try store.onBlock(block.block)
        store.onTick(16)
        let attestation = try devnet.attest(headRoot: root, headState: block.state, slot: 1)[0]
        assertThrows(.invalidAttestation(.targetEpochTooOld(target: 0, previous: 1))) { () throws(ForkChoiceError) in
            try store.onAttestation(attestation, isFromBlock: false)
        }
        try store.onAttestation(attestation, isFromBlock: true)
        XCTAssertEqual(store.latestMessage(attestation.validatorIndex), LatestMessage(epoch: 0, root: root))
    }

    func testLatestMessageOnlyMovesForward() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 2)
        let left = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let right = try devnet.makeBlock(on: devnet.genesis, slot: 2)
        let leftRoot = try store.onBlock(left.block)
        let rightRoot = try store.onBlock(right.block)
        store.onTick(12)
        let validator = devnet.genesis.getBeaconCommittee(1)[0]
        let epoch1Slot = try Duties.attesterDuties(state: devnet.genesis, epoch: 1)[validator]!
        XCTAssertLessThan(epoch1Slot, 16)
        store.onTick(16)
        func vote(_ slot: Slot, _ head: Root, _ epoch: Epoch, _ target: Root) -> Attestation {
            devnet.sign(AttestationData(
                slot: slot, beaconBlockRoot: head, source: devnet.genesis.currentJustifiedCheckpoint,
                target: Checkpoint(epoch: epoch, root: target)), by: validator)
        }
        try store.onAttestation(vote(epoch1Slot, rightRoot, 1, rightRoot), isFromBlock: false)
        XCTAssertEqual(store.latestMessage(validator), LatestMessage(epoch: 1, root: rightRoot))
        // An older epoch's vote arriving late does not replace it (from a block: epoch 0 is
        // before the previous epoch now)...
        try store.onAttestation(vote(1, leftRoot, 0, devnet.genesisBlockRoot), isFromBlock: true)
        XCTAssertEqual(store.latestMessage(validator), LatestMessage(epoch: 1, root: rightRoot))
        // ...nor does another vote for the same epoch.
        try store.onAttestation(vote(epoch1Slot, leftRoot, 1, leftRoot), isFromBlock: false)
        XCTAssertEqual(store.latestMessage(validator), LatestMessage(epoch: 1, root: rightRoot))
        XCTAssertEqual(store.getHead(), rightRoot)
    }

    func testBlockAttestationsCountAsVotes() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 2)
        let first = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let firstRoot = try store.onBlock(first.block)
        let votes = try devnet.attest(headRoot: firstRoot, headState: first.state, slot: 1)
        let second = try devnet.makeBlock(on: first.state, slot: 2, attestations: votes)
        XCTAssertEqual(second.block.message.body.attestations.count, votes.count)
        try store.onBlock(second.block)
        for vote in votes {
            XCTAssertEqual(store.latestMessage(vote.validatorIndex), LatestMessage(epoch: 0, root: firstRoot))
        }
    }

    // MARK: Justification and finality

    func testShouldUpdateJustifiedCheckpointOnlyEarlyInEpochForConflictingCheckpoints() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 9)
        let left = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let right = try devnet.makeBlock(on: devnet.genesis, slot: 2)
        let leftRoot = try store.onBlock(left.block)
        let rightRoot = try store.onBlock(right.block)
        let leftChild = try store.onBlock(try devnet.makeBlock(on: left.state, slot: 9).block)
        // Epoch 1's checkpoint on the left branch is the slot-1 block (slots 2 to 8 are empty).
        store.justifiedCheckpoint = Checkpoint(epoch: 1, root: leftRoot)
        let safeSlots = store.config.safeSlotsToUpdateJustified
        store.currentSlot = Slot(16 + safeSlots)
        XCTAssertFalse(store.shouldUpdateJustifiedCheckpoint(Checkpoint(epoch: 2, root: rightRoot)), "conflicting, late")
        XCTAssertTrue(store.shouldUpdateJustifiedCheckpoint(Checkpoint(epoch: 2, root: leftChild)), "descendant, late")
        store.currentSlot = Slot(16 + safeSlots - 1)
        XCTAssertTrue(store.shouldUpdateJustifiedCheckpoint(Checkpoint(epoch: 2, root: rightRoot)), "conflicting, early")
    }

    func testOnTickAdoptsBestJustifiedAtTheNextEpoch() throws {
        let devnet = try Devnet()
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 3)
        let block = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        let root = try store.onBlock(block.block)
        store.bestJustifiedCheckpoint = Checkpoint(epoch: 1, root: root)
        store.onTick(7)
        XCTAssertEqual(store.justifiedCheckpoint.epoch, 0, "not at an epoch start")
        store.onTick(10)
        XCTAssertEqual(store.justifiedCheckpoint, Checkpoint(epoch: 1, root: root), "crossed an epoch start")
    }

    func testLinearChainJustifiesFinalizesAndPrunesTheOtherBranch() throws {
        let devnet = try Devnet()
        var chain = try TestChain(validatorCount: 16)
        XCTAssertEqual(chain.headRoot, devnet.genesisBlockRoot)
        var store = ForkChoiceStore(anchorState: chain.state, currentSlot: 0)
        // A fork from genesis at slot 2, which the main chain also fills.
        let fork = try devnet.makeBlock(on: devnet.genesis, slot: 2)
        var mainRoots: [Slot: Root] = [:]
        // Slot 16, epoch 2's first, stays empty: epoch 2's checkpoint is then slot 15's block.
        for slot in UInt64(1)...35 where slot != 16 {
            store.onTick(Slot(slot))
            if slot == 2 { try store.onBlock(fork.block) }
            let block = try chain.advance(to: Slot(slot))
            mainRoots[Slot(slot)] = try store.onBlock(block)
            XCTAssertEqual(store.getHead(), chain.headRoot, "slot \(slot)")
        }
        XCTAssertEqual(chain.state.finalizedCheckpoint.epoch, 2)
        XCTAssertEqual(store.finalizedCheckpoint, chain.state.finalizedCheckpoint)
        XCTAssertEqual(store.justifiedCheckpoint, chain.state.currentJustifiedCheckpoint)
        XCTAssertEqual(store.finalizedCheckpoint.root, mainRoots[15])

        // Only the finalized block and its descendants are left.
        let forkRoot = fork.block.message.hashTreeRoot
        XCTAssertNil(store.block(forkRoot))
        XCTAssertNil(store.state(forkRoot))
        XCTAssertNil(store.state(devnet.genesisBlockRoot))
        XCTAssertEqual(store.blockCount, mainRoots.keys.filter { $0 >= 15 }.count)
        for root in store.blockRoots {
            XCTAssertEqual(store.getAncestor(root, slot: 15), store.finalizedCheckpoint.root)
        }
        XCTAssertNil(store.getAncestor(chain.headRoot, slot: 14), "below the finalized block is forgotten")
        XCTAssertEqual(store.getHead(), chain.headRoot)

        // A block at or before the finalized epoch's start slot is refused, even on the
        // finalized block.
        let late = try devnet.makeBlock(on: store.state(mainRoots[15]!)!, slot: 16).block
        assertThrows(.notAfterFinalized(blockSlot: 16, finalizedSlot: 16)) { () throws(ForkChoiceError) in
            try store.onBlock(late)
        }
        // A block on the pruned branch has an unknown parent.
        let orphan = try devnet.makeBlock(on: fork.state, slot: 36).block
        store.onTick(36)
        assertThrows(.unknownParent(forkRoot)) { () throws(ForkChoiceError) in try store.onBlock(orphan) }

        // Fork choice still works on the pruned tree: two children of the head, one voted for.
        let headState = store.state(chain.headRoot)!
        let one = try devnet.makeBlock(on: headState, slot: 36)
        let two = try devnet.makeBlock(on: headState, slot: 36, attestations: chain.attestationPool)
        XCTAssertFalse(two.block.message.body.attestations.isEmpty)
        let oneRoot = try store.onBlock(one.block)
        let twoRoot = try store.onBlock(two.block)
        XCTAssertEqual(store.getHead(), max(oneRoot, twoRoot))
        store.onTick(37)
        let lower = min(oneRoot, twoRoot)
        let vote = try devnet.attest(headRoot: lower, headState: lower == oneRoot ? one.state : two.state, slot: 36)[0]
        try store.onAttestation(vote, isFromBlock: false)
        XCTAssertEqual(store.getHead(), lower)
    }

    func testStoreRefusesBlocksBeyondItsBound() throws {
        let devnet = try Devnet()
        let config = ForkChoiceConfig(safeSlotsToUpdateJustified: 2, blockCountMax: 2, checkpointStateCountMax: 4)
        var store = ForkChoiceStore(anchorState: devnet.genesis, currentSlot: 2, config: config)
        let first = try devnet.makeBlock(on: devnet.genesis, slot: 1)
        try store.onBlock(first.block)
        let second = try devnet.makeBlock(on: first.state, slot: 2).block
        assertThrows(.storeFull(blockCountMax: 2)) { () throws(ForkChoiceError) in try store.onBlock(second) }
    }
}
