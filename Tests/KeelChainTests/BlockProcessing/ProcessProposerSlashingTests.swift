@testable import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `processProposerSlashing` and the `slashValidator` it applies (phase0
/// `process_proposer_slashing`, `slash_validator`).
final class ProcessProposerSlashingTests: XCTestCase {
    private static let unit: UInt64 = 1_000_000_000

    /// A genesis state, the proposer of slot 1 and a validator that is not it.
    private func setup(_ state: ChainState? = nil) throws -> (ChainState, proposer: ValidatorIndex, offender: ValidatorIndex) {
        let state = try state ?? RuleFixture.genesis()
        let proposer = try RuleFixture.proposer(state, at: 1)
        return (state, proposer, ValidatorIndex((proposer.rawValue + 3) % 8))
    }

    private func evidence(_ offender: ValidatorIndex, _ state: ChainState, slot: Slot = 0) -> ProposerSlashing {
        ProposerSlashing(
            signedHeader1: RuleFixture.header(slot: slot, proposer: offender, tag: 1, state),
            signedHeader2: RuleFixture.header(slot: slot, proposer: offender, tag: 2, state))
    }

    private func rejection(_ slashings: [ProposerSlashing], _ state: ChainState) throws -> BlockProcessingError? {
        RuleFixture.rejection(try RuleFixture.makeBlock(on: state, slot: 1, proposerSlashings: slashings), on: state)
    }

    func testDoubleProposalSlashesExactlyAsPhase0SlashValidator() throws {
        let (state, proposer, offender) = try setup()
        let preset = state.preset
        var post = state
        RuleFixture.apply(try RuleFixture.makeBlock(on: state, slot: 1, proposerSlashings: [evidence(offender, state)]), to: &post)

        let slashed = post.validators[Int(offender.rawValue)]
        let effective = state.validators[Int(offender.rawValue)].effectiveStake.rawValue
        XCTAssertEqual(effective, 32 * Self.unit)
        XCTAssertTrue(slashed.slashed)
        // compute_activation_exit_epoch(0) = 0 + 1 + MAX_SEED_LOOKAHEAD, no one else exiting.
        XCTAssertEqual(slashed.exitEpoch, Epoch(1 + preset.maxSeedLookahead))
        XCTAssertEqual(slashed.withdrawableEpoch, Epoch(preset.epochsPerSlashingsVector), "max(exit + delay, epoch + vector)")
        XCTAssertEqual(slashed.balance.rawValue, 32 * Self.unit - effective / preset.minSlashingPenaltyQuotient)
        XCTAssertEqual(slashed.balance.rawValue, 31 * Self.unit)
        XCTAssertEqual(slashed.effectiveStake, state.validators[Int(offender.rawValue)].effectiveStake, "until epoch processing")
        // The proposer is also the whistleblower: it gets the whole whistleblower reward.
        let whistleblowerReward = effective / preset.whistleblowerRewardQuotient
        XCTAssertEqual(
            post.validators[Int(proposer.rawValue)].balance.rawValue,
            state.validators[Int(proposer.rawValue)].balance.rawValue + whistleblowerReward)
        XCTAssertEqual(post.slashings[0].rawValue, effective)
        XCTAssertEqual(post.slashings[1...].filter { $0 != .zero }.count, 0)
        for index in 0..<8 where index != Int(offender.rawValue) && index != Int(proposer.rawValue) {
            XCTAssertEqual(post.validators[index], state.validators[index], "validator \(index) untouched")
        }
        XCTAssertEqual(
            RuleFixture.totalSupply(state) - RuleFixture.totalSupply(post),
            effective / preset.minSlashingPenaltyQuotient - whistleblowerReward, "the rest of the penalty is burned")
    }

    func testSlashValidatorSplitsTheRewardBetweenProposerAndWhistleblower() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(1)
        let proposer = try state.getBeaconProposerIndex()
        let offender = ValidatorIndex((proposer.rawValue + 1) % 8)
        let whistleblower = ValidatorIndex((proposer.rawValue + 2) % 8)
        let before = state.validators.map(\.balance.rawValue)
        try state.slashValidator(offender, whistleblowerIndex: whistleblower)
        let whistleblowerReward = 32 * Self.unit / state.preset.whistleblowerRewardQuotient
        let proposerReward = whistleblowerReward / state.preset.proposerRewardQuotient
        XCTAssertEqual(state.validators[Int(proposer.rawValue)].balance.rawValue, before[Int(proposer.rawValue)] + proposerReward)
        XCTAssertEqual(
            state.validators[Int(whistleblower.rawValue)].balance.rawValue,
            before[Int(whistleblower.rawValue)] + whistleblowerReward - proposerReward)
        XCTAssertEqual(proposerReward, 7_812_500)
    }

    func testSlashingWithinALaterEpochSetsWithdrawabilityFromThatEpoch() throws {
        var state = try RuleFixture.genesis()
        try RuleFixture.advance(&state, through: 17)
        let proposer = try RuleFixture.proposer(state, at: 18)
        let offender = ValidatorIndex((proposer.rawValue + 1) % 8)
        RuleFixture.apply(try RuleFixture.makeBlock(on: state, slot: 18, proposerSlashings: [evidence(offender, state, slot: 3)]), to: &state)
        let slashed = state.validators[Int(offender.rawValue)]
        XCTAssertEqual(slashed.exitEpoch, Epoch(2 + 1 + state.preset.maxSeedLookahead))
        XCTAssertEqual(slashed.withdrawableEpoch, Epoch(2 + state.preset.epochsPerSlashingsVector))
        XCTAssertEqual(state.slashings[2].rawValue, 32 * Self.unit)
    }

    func testHeadersOfDifferentSlotsAreRejected() throws {
        let (state, _, offender) = try setup()
        let slashing = ProposerSlashing(
            signedHeader1: RuleFixture.header(slot: 0, proposer: offender, tag: 1, state),
            signedHeader2: RuleFixture.header(slot: 1, proposer: offender, tag: 2, state))
        XCTAssertEqual(try rejection([slashing], state), .proposerSlashing(index: 0, reason: .slotsDiffer))
    }

    func testHeadersOfDifferentProposersAreRejected() throws {
        let (state, _, offender) = try setup()
        let other = ValidatorIndex((offender.rawValue + 1) % 8)
        let slashing = ProposerSlashing(
            signedHeader1: RuleFixture.header(slot: 0, proposer: offender, tag: 1, state),
            signedHeader2: RuleFixture.header(slot: 0, proposer: other, tag: 2, state))
        XCTAssertEqual(try rejection([slashing], state), .proposerSlashing(index: 0, reason: .proposersDiffer))
    }

    func testTheSameHeaderTwiceIsRejected() throws {
        let (state, _, offender) = try setup()
        let header = RuleFixture.header(slot: 0, proposer: offender, tag: 1, state)
        var resigned = header
        resigned.signature = RuleFixture.secretKey(offender.rawValue).sign(
            state.signingRoot(of: header.message), auxiliaryRandomness: RuleFixture.root(1))
        XCTAssertNotEqual(resigned.signature, header.signature)
        for slashing in [
            ProposerSlashing(signedHeader1: header, signedHeader2: header),
            ProposerSlashing(signedHeader1: header, signedHeader2: resigned),
        ] {
            XCTAssertEqual(try rejection([slashing], state), .proposerSlashing(index: 0, reason: .headersEqual))
        }
    }

    func testUnknownProposerIsRejected() throws {
        let (state, _, _) = try setup()
        XCTAssertEqual(try rejection([evidence(99, state)], state), .proposerSlashing(index: 0, reason: .unknownValidator(99)))
    }

    func testASecondSlashingOfTheSameValidatorIsRejected() throws {
        let state = try RuleFixture.genesis()
        let proposers = [try RuleFixture.proposer(state, at: 1), try RuleFixture.proposer(state, at: 2)]
        let offender = (0..<UInt64(8)).map(ValidatorIndex.init).first { !proposers.contains($0) }!
        let first = evidence(offender, state)
        let again = evidence(offender, state, slot: 1)
        XCTAssertEqual(try rejection([first, again], state), .proposerSlashing(index: 1, reason: .notSlashable(offender)))
        var post = state
        RuleFixture.apply(try RuleFixture.makeBlock(on: state, slot: 1, proposerSlashings: [first]), to: &post)
        let later = try RuleFixture.makeBlock(on: post, slot: 2, proposerSlashings: [again])
        XCTAssertEqual(RuleFixture.rejection(later, on: post), .proposerSlashing(index: 0, reason: .notSlashable(offender)))
    }

    func testAValidatorThatIsNotActiveYetIsNotSlashable() throws {
        var config = RuleFixture.config()
        config.validators[7].stake = Stake(16 * Self.unit)
        let state = try ChainState.genesis(config)
        XCTAssertEqual(state.validators[7].activationEpoch, Constants.farFutureEpoch)
        XCTAssertEqual(try rejection([evidence(7, state)], state), .proposerSlashing(index: 0, reason: .notSlashable(7)))
    }

    func testAWithdrawableValidatorIsNotSlashable() throws {
        var (state, _, offender) = try setup()
        state.validators[Int(offender.rawValue)].exitEpoch = 0
        state.validators[Int(offender.rawValue)].withdrawableEpoch = 0
        XCTAssertEqual(try rejection([evidence(offender, state)], state), .proposerSlashing(index: 0, reason: .notSlashable(offender)))
    }

    func testABadSignatureOnEitherHeaderIsRejected() throws {
        let (state, _, offender) = try setup()
        let other = (offender.rawValue + 1) % 8
        var first = evidence(offender, state)
        first.signedHeader1 = RuleFixture.header(slot: 0, proposer: offender, tag: 1, state, signer: other)
        XCTAssertEqual(try rejection([first], state), .proposerSlashing(index: 0, reason: .badSignature(header: 1)))
        var second = evidence(offender, state)
        second.signedHeader2 = RuleFixture.header(slot: 0, proposer: offender, tag: 2, state, signer: other)
        XCTAssertEqual(try rejection([second], state), .proposerSlashing(index: 0, reason: .badSignature(header: 2)))
    }
}
