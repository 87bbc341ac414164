import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `stateTransition` and `processSlots` (phase0 `state_transition`, `process_slots`): every
/// reason a block is rejected before or after its operations, and the signature strategies.
final class StateTransitionTests: XCTestCase {
    // MARK: processSlots

    func testProcessSlotsRejectsATargetThatDoesNotAdvance() throws {
        var state = try RuleFixture.genesis()
        do {
            try state.processSlots(0)
            XCTFail("processSlots(0) at slot 0 was accepted")
        } catch {
            XCTAssertEqual(error, .slotNotAfterState(target: 0, state: 0))
        }
        try state.processSlots(3)
        XCTAssertEqual(state.slot, 3)
        for target: Slot in [2, 3] {
            do {
                try state.processSlots(target)
                XCTFail("processSlots(\(target)) at slot 3 was accepted")
            } catch {
                XCTAssertEqual(error, .slotNotAfterState(target: target, state: 3))
            }
        }
        XCTAssertEqual(state.slot, 3, "a rejected target leaves the slot alone")
    }

    func testProcessSlotsCachesTheRootsOfEachPassedSlot() throws {
        var state = try RuleFixture.genesis()
        var reference = state
        let genesisStateRoot = reference.hashTreeRoot()
        try state.processSlots(2)
        XCTAssertEqual(state.stateRoots[0], genesisStateRoot)
        XCTAssertEqual(state.latestBlockHeader.stateRoot, genesisStateRoot, "the empty header root is filled in")
        XCTAssertEqual(state.blockRoots[0], reference.genesisBlockRoot())
        XCTAssertEqual(state.blockRoots[1], state.blockRoots[0], "an empty slot repeats the last block root")
        XCTAssertNotEqual(state.stateRoots[1], state.stateRoots[0], "the slot is part of the state root")
    }

    func testABlockAtTheStateSlotIsRejectedBySlotProcessing() throws {
        var state = try RuleFixture.genesis()
        let first = try RuleFixture.makeBlock(on: state, slot: 1)
        RuleFixture.apply(first, to: &state)
        XCTAssertEqual(RuleFixture.rejection(first, on: state), .slots(.slotNotAfterState(target: 1, state: 1)))
        let genesis = try RuleFixture.genesis()
        var atGenesis = try RuleFixture.makeBlock(on: genesis, slot: 1).message
        atGenesis.slot = 0
        XCTAssertEqual(
            RuleFixture.rejection(RuleFixture.sign(atGenesis, genesis), on: genesis),
            .slots(.slotNotAfterState(target: 0, state: 0)))
    }

    // MARK: Result checks

    func testAValidBlockIsAcceptedAndMovesTheHeader() throws {
        var state = try RuleFixture.genesis()
        let block = try RuleFixture.makeBlock(on: state, slot: 3)
        try state.stateTransition(block)
        XCTAssertEqual(state.slot, 3)
        XCTAssertEqual(state.latestBlockHeader.slot, 3)
        XCTAssertEqual(state.latestBlockHeader.proposerIndex, block.message.proposerIndex)
        XCTAssertEqual(state.latestBlockHeader.bodyRoot, block.message.body.hashTreeRoot)
        XCTAssertEqual(state.hashTreeRoot(), block.message.stateRoot)
        try state.processSlots(4)
        XCTAssertEqual(state.blockRoots[3], block.message.hashTreeRoot, "the next slot records the block's root")
    }

    func testWrongStateRootIsRejected() throws {
        let state = try RuleFixture.genesis()
        var block = try RuleFixture.makeBlock(on: state, slot: 1).message
        let computed = block.stateRoot
        block.stateRoot = RuleFixture.root(1)
        XCTAssertEqual(
            RuleFixture.rejection(RuleFixture.sign(block, state), on: state),
            .stateRootMismatch(block: RuleFixture.root(1), computed: computed))
    }

    func testBadProposerSignatureIsRejected() throws {
        let state = try RuleFixture.genesis()
        let valid = try RuleFixture.makeBlock(on: state, slot: 1)
        let proposer = valid.message.proposerIndex.rawValue
        // Signed by another validator's key.
        let otherKey = RuleFixture.sign(valid.message, state, signer: (proposer + 1) % 8)
        XCTAssertEqual(RuleFixture.rejection(otherKey, on: state), .blockSignatureInvalid)
        // The proposer's signature over a different block.
        var other = valid.message
        other.body.randaoReveal = RuleFixture.root(2)
        let reused = SignedBlock(message: other, signature: valid.signature)
        XCTAssertEqual(RuleFixture.rejection(reused, on: state), .blockSignatureInvalid)
        // The proposer's key over the block root without the domain and genesis binding.
        let undomained = SignedBlock(
            message: valid.message, signature: RuleFixture.secretKey(proposer).sign(valid.message.hashTreeRoot))
        XCTAssertEqual(RuleFixture.rejection(undomained, on: state), .blockSignatureInvalid)
        XCTAssertNil(RuleFixture.rejection(valid, on: state))
    }

    func testASignatureFromAnotherChainIsRejected() throws {
        let state = try RuleFixture.genesis()
        var otherConfig = RuleFixture.config()
        otherConfig.genesisTimeMs = 1
        let otherChain = try ChainState.genesis(otherConfig)
        let block = try RuleFixture.makeBlock(on: state, slot: 1).message
        XCTAssertEqual(RuleFixture.rejection(RuleFixture.sign(block, otherChain), on: state), .blockSignatureInvalid)
    }

    // MARK: Header

    func testWrongProposerIsRejected() throws {
        let state = try RuleFixture.genesis()
        var block = try RuleFixture.makeBlock(on: state, slot: 1).message
        let expected = block.proposerIndex
        let other = ValidatorIndex((expected.rawValue + 1) % 8)
        block.proposerIndex = other
        // Signed by the claimed proposer, so only the header check can catch it.
        XCTAssertEqual(
            RuleFixture.rejection(RuleFixture.sign(block, state), on: state),
            .header(.wrongProposer(block: other, expected: expected)))
        block.proposerIndex = 99
        XCTAssertEqual(
            RuleFixture.rejection(RuleFixture.sign(block, state, signer: 99), on: state),
            .header(.wrongProposer(block: 99, expected: expected)))
    }

    func testWrongParentRootIsRejected() throws {
        let state = try RuleFixture.genesis()
        var block = try RuleFixture.makeBlock(on: state, slot: 1).message
        let expected = block.parentRoot
        block.parentRoot = RuleFixture.root(3)
        XCTAssertEqual(
            RuleFixture.rejection(RuleFixture.sign(block, state), on: state),
            .header(.parentRootMismatch(block: RuleFixture.root(3), expected: expected)))
    }

    func testABlockNotAfterTheLatestHeaderIsRejected() throws {
        // At genesis the latest header is the genesis header, at slot 0.
        var genesis = try RuleFixture.genesis()
        let proposer = try genesis.getBeaconProposerIndex()
        let atZero = Block(
            slot: 0, proposerIndex: proposer, parentRoot: genesis.latestBlockHeader.hashTreeRoot, stateRoot: .zero,
            body: BlockBody(randaoReveal: RuleFixture.nextReveal(genesis, proposer)))
        var verifier = SignatureVerifier(.verifyIndividually)
        do {
            try genesis.processBlock(atZero, verifier: &verifier)
            XCTFail("a second block at slot 0 was accepted")
        } catch {
            XCTAssertEqual(error, .header(.notNewerThanLatestHeader(block: 0, latest: 0)))
        }
        // A second block for a slot that already has one.
        var state = try RuleFixture.genesis()
        let first = try RuleFixture.makeBlock(on: state, slot: 2)
        RuleFixture.apply(first, to: &state)
        var second = first.message
        second.body.randaoReveal = RuleFixture.nextReveal(state, second.proposerIndex)
        second.parentRoot = state.latestBlockHeader.hashTreeRoot
        do {
            try state.processBlock(second, verifier: &verifier)
            XCTFail("a second block at slot 2 was accepted")
        } catch {
            XCTAssertEqual(error, .header(.notNewerThanLatestHeader(block: 2, latest: 2)))
        }
    }

    func testABlockForAnotherSlotThanTheStateIsRejected() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(2)
        var block = try RuleFixture.makeBlock(on: state, slot: 3).message
        block.slot = 3
        var verifier = SignatureVerifier(.skip)
        do {
            try state.processBlock(block, verifier: &verifier)
            XCTFail("a block for slot 3 applied to a state at slot 2")
        } catch {
            XCTAssertEqual(error, .header(.slotMismatch(block: 3, state: 2)))
        }
    }

    func testASlashedProposerCannotPropose() throws {
        var state = try RuleFixture.genesis()
        // Find a slot whose proposer differs from the previous slot's, slash it one slot before.
        var slot: Slot = 2
        while try RuleFixture.proposer(state, at: slot) == RuleFixture.proposer(state, at: Slot(slot.rawValue - 1)) {
            slot = Slot(slot.rawValue + 1)
        }
        XCTAssertLessThan(slot, 8, "the test needs both slots in epoch 0")
        let offender = try RuleFixture.proposer(state, at: slot)
        let evidence = ProposerSlashing(
            signedHeader1: RuleFixture.header(slot: 0, proposer: offender, tag: 1, state),
            signedHeader2: RuleFixture.header(slot: 0, proposer: offender, tag: 2, state))
        try RuleFixture.advance(&state, through: Slot(slot.rawValue - 2))
        let slashing = try RuleFixture.makeBlock(on: state, slot: Slot(slot.rawValue - 1), proposerSlashings: [evidence])
        RuleFixture.apply(slashing, to: &state)
        XCTAssertTrue(state.validators[Int(offender.rawValue)].slashed)
        XCTAssertEqual(try RuleFixture.proposer(state, at: slot), offender, "slashing does not change the proposer")
        let block = try RuleFixture.makeBlock(on: state, slot: slot)
        XCTAssertEqual(RuleFixture.rejection(block, on: state), .header(.proposerSlashed(offender)))
    }

    // MARK: Operation limits

    func testEachOperationListIsBoundedByItsMaximum() throws {
        var preset = Preset.devnet
        preset.maxTransactions = 1
        preset.maxAttestations = 0
        preset.maxProposerSlashings = 0
        preset.maxAttesterSlashings = 0
        let state = try RuleFixture.genesis(preset: preset)
        let transfers = (0..<UInt64(2)).map { sender in
            RuleFixture.transaction(from: sender, .transfer(recipient: RuleFixture.address(7), amount: 1), state)
        }
        XCTAssertNil(RuleFixture.rejection(try RuleFixture.makeBlock(on: state, slot: 1, transactions: [transfers[0]]), on: state))
        XCTAssertEqual(
            RuleFixture.rejection(try RuleFixture.makeBlock(on: state, slot: 1, transactions: transfers), on: state),
            .tooManyOperations(field: "transactions", count: 2, limit: 1))
        let header = RuleFixture.header(slot: 0, proposer: 1, tag: 1, state)
        let proposerSlashing = ProposerSlashing(signedHeader1: header, signedHeader2: header)
        XCTAssertEqual(
            RuleFixture.rejection(try RuleFixture.makeBlock(on: state, slot: 1, proposerSlashings: [proposerSlashing]), on: state),
            .tooManyOperations(field: "proposer_slashings", count: 1, limit: 0))
        let data = AttestationData(
            slot: 0, beaconBlockRoot: .zero, source: state.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: 0, root: .zero))
        let attestation = RuleFixture.attestation(0, data, state)
        let attesterSlashing = AttesterSlashing(attestation1: attestation, attestation2: attestation)
        XCTAssertEqual(
            RuleFixture.rejection(try RuleFixture.makeBlock(on: state, slot: 1, attesterSlashings: [attesterSlashing]), on: state),
            .tooManyOperations(field: "attester_slashings", count: 1, limit: 0))
        XCTAssertEqual(
            RuleFixture.rejection(try RuleFixture.makeBlock(on: state, slot: 1, attestations: [attestation]), on: state),
            .tooManyOperations(field: "attestations", count: 1, limit: 0))
    }
}
