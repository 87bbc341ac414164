import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `produceBlock`: it keeps the valid operations in order, drops the invalid ones, and the block
/// it builds passes the verifying state transition with the post-state it returns.
final class ProduceBlockTests: XCTestCase {
    private static let counter = Address(RuleFixture.root(500))

    /// Signs the proposal and applies it with full verification; returns the post-state.
    private func verify(_ proposal: BlockProposal, on state: ChainState, file: StaticString = #filePath, line: UInt = #line) -> ChainState {
        var post = state
        RuleFixture.apply(RuleFixture.sign(proposal.block, state), to: &post, file: file, line: line)
        var produced = proposal.postState
        XCTAssertEqual(post.hashTreeRoot(), produced.hashTreeRoot(), "producer and verifier agree", file: file, line: line)
        XCTAssertEqual(post.hashTreeRoot(), proposal.block.stateRoot, file: file, line: line)
        return post
    }

    func testItKeepsValidOperationsOfEveryKindAndDropsInvalidOnes() throws {
        var state = try RuleFixture.genesis(programs: [Self.counter: RuleFixture.program(RuleFixture.counterSource)])
        try RuleFixture.advance(&state, through: 2)
        let proposer = try RuleFixture.proposer(state, at: 3)
        let others = (0..<UInt64(8)).filter { $0 != proposer.rawValue }
        let offender = ValidatorIndex(others[0])
        let proposerSlashing = ProposerSlashing(
            signedHeader1: RuleFixture.header(slot: 1, proposer: offender, tag: 1, state),
            signedHeader2: RuleFixture.header(slot: 1, proposer: offender, tag: 2, state))
        let voter = ValidatorIndex(others[1])
        let vote = AttestationData(
            slot: 0, beaconBlockRoot: RuleFixture.root(1), source: state.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: 0, root: RuleFixture.root(2)))
        var otherVote = vote
        otherVote.beaconBlockRoot = RuleFixture.root(3)
        let attesterSlashing = AttesterSlashing(
            attestation1: RuleFixture.attestation(voter, vote, state), attestation2: RuleFixture.attestation(voter, otherVote, state))
        let attester = state.getBeaconCommittee(2)[0]
        let data = AttestationData(
            slot: 2, beaconBlockRoot: RuleFixture.root(4), source: state.currentJustifiedCheckpoint,
            target: Checkpoint(epoch: 0, root: RuleFixture.root(5)))
        let attestation = RuleFixture.attestation(attester, data, state)
        var wrongSource = data
        wrongSource.source.root = RuleFixture.root(6)
        let badAttestation = RuleFixture.attestation(attester, wrongSource, state)

        let sender = others[2]
        let transfer = RuleFixture.transaction(from: sender, .transfer(recipient: RuleFixture.address(60), amount: 5), state)
        let stale = RuleFixture.transaction(from: sender, .transfer(recipient: RuleFixture.address(61), amount: 5), state)
        let deploy = RuleFixture.transaction(
            from: sender, .deploy(code: try RuleFixture.program(RuleFixture.counterSource)), nonce: 1, state)
        let call = RuleFixture.transaction(
            from: sender, .call(program: Self.counter, input: [4], stepLimit: 10), fee: 10, nonce: 2, state)
        let deposit = RuleChains.deposit(key: 100, from: others[3], state)
        let exit = RuleFixture.transaction(from: others[4], .exit(validator: ValidatorIndex(others[4])), state)

        let operations = BlockOperations(
            proposerSlashings: [proposerSlashing, proposerSlashing], attesterSlashings: [attesterSlashing, attesterSlashing],
            attestations: [attestation, attestation, badAttestation],
            transactions: [transfer, stale, deploy, call, deposit, exit])
        let proposal = try state.produceBlock(
            slot: 3, randaoReveal: RuleFixture.nextReveal(state, proposer), operations: operations)
        let body = proposal.block.body
        XCTAssertEqual(body.proposerSlashings, [proposerSlashing], "the repeat is no longer slashable")
        XCTAssertEqual(body.attesterSlashings, [attesterSlashing])
        XCTAssertEqual(body.attestations, [attestation], "duplicates and invalid attestations are dropped")
        XCTAssertEqual(body.transactions, [transfer, deploy, call, deposit, exit], "the stale nonce is dropped")
        XCTAssertEqual(proposal.block.proposerIndex, proposer)
        let post = verify(proposal, on: state)
        XCTAssertEqual(post.programs[Self.counter]?.storage, [4])
        XCTAssertEqual(post.validators.count, 9)
        XCTAssertNotEqual(post.validators[Int(others[4])].exitEpoch, Constants.farFutureEpoch)
    }

    func testItKeepsCallsWithinTheBlockStepBudget() throws {
        let state = try RuleFixture.genesis(programs: [Self.counter: RuleFixture.program(RuleFixture.counterSource)])
        let perCall = state.preset.maxStepsPerCall
        let fitting = state.preset.maxStepsPerBlock / perCall
        let calls = (0...fitting).map { nonce in
            RuleFixture.transaction(
                from: 5, .call(program: Self.counter, input: [1], stepLimit: perCall), fee: Stake(perCall), nonce: nonce, state)
        }
        // A small call after the budget is full does not fit either; a transfer does.
        let small = RuleFixture.transaction(
            from: 6, .call(program: Self.counter, input: [1], stepLimit: 2), fee: 2, state)
        let transfer = RuleFixture.transaction(from: 6, .transfer(recipient: RuleFixture.address(60), amount: 1), nonce: 0, state)
        let proposer = try RuleFixture.proposer(state, at: 1)
        let proposal = try state.produceBlock(
            slot: 1, randaoReveal: RuleFixture.nextReveal(state, proposer),
            operations: BlockOperations(transactions: calls + [small, transfer]))
        XCTAssertEqual(proposal.block.body.transactions, Array(calls.prefix(Int(fitting))) + [transfer])
        let post = verify(proposal, on: state)
        XCTAssertEqual(post.programs[Self.counter]?.storage, [UInt32(fitting)])
    }

    func testItRejectsAWrongSlotOrReveal() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(2)
        let proposer = try state.getBeaconProposerIndex()
        do {
            _ = try state.produceBlock(slot: 2, randaoReveal: RuleFixture.nextReveal(state, proposer), operations: BlockOperations())
            XCTFail("a block for the state's own slot was produced")
        } catch {
            XCTAssertEqual(error, .slots(.slotNotAfterState(target: 2, state: 2)))
        }
        let next = try RuleFixture.proposer(state, at: 3)
        do {
            _ = try state.produceBlock(slot: 3, randaoReveal: RuleFixture.root(1), operations: BlockOperations())
            XCTFail("a block with a bad reveal was produced")
        } catch {
            XCTAssertEqual(error, .randao(.revealDoesNotMatchCommitment(next)))
        }
    }
}
