import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `processDeposit` and `processExit`, reached through deposit and exit transactions: new
/// validators with proof of possession, top-ups, activation after finality, exits through the
/// churn-limited queue.
final class ProcessDepositTests: XCTestCase {
    private static let unit: UInt64 = 1_000_000_000

    private func proposerAndSender(_ state: ChainState) throws -> (ValidatorIndex, UInt64) {
        let proposer = try RuleFixture.proposer(state, at: 1)
        return (proposer, (proposer.rawValue + 1) % 8)
    }

    private func applied(_ state: ChainState, _ transactions: [SignedTransaction]) throws -> ChainState {
        var post = state
        RuleFixture.apply(try RuleFixture.makeBlock(on: state, slot: 1, transactions: transactions), to: &post)
        return post
    }

    private func rejection(_ transactions: [SignedTransaction], _ state: ChainState) throws -> BlockProcessingError? {
        RuleFixture.rejection(try RuleFixture.makeBlock(on: state, slot: 1, transactions: transactions), on: state)
    }

    private func deposit(
        key: UInt64, from sender: UInt64, amount: Stake, proofKey: UInt64? = nil, proofAmount: Stake? = nil,
        proofDomain: DomainType = .deposit, _ state: ChainState
    ) -> SignedTransaction {
        let validatorKey = RuleFixture.secretKey(key).publicKey
        let commitment = RuleFixture.root(300 + key)
        let message = ChainState.depositMessageRoot(
            validatorKey: validatorKey, withdrawalAddress: RuleFixture.address(sender), amount: proofAmount ?? amount,
            randaoCommitment: commitment)
        let proof = RuleFixture.secretKey(proofKey ?? key).sign(
            computeSigningRoot(message, domain: proofDomain, genesisRoot: state.genesisRoot))
        return RuleFixture.transaction(
            from: sender,
            .deposit(validatorKey: validatorKey, amount: amount, randaoCommitment: commitment, proofOfPossession: proof),
            fee: 100, state)
    }

    // MARK: Deposit

    func testADepositRegistersAPendingValidator() throws {
        let state = try RuleFixture.genesis()
        let (_, sender) = try proposerAndSender(state)
        let amount = Stake(32 * Self.unit)
        let post = try applied(state, [deposit(key: 100, from: sender, amount: amount, state)])
        XCTAssertEqual(post.validators.count, 9)
        XCTAssertEqual(post.validators[8], Validator(
            publicKey: RuleFixture.secretKey(100).publicKey, withdrawalAddress: RuleFixture.address(sender), balance: amount,
            effectiveStake: amount, activationEligibilityEpoch: Constants.farFutureEpoch,
            activationEpoch: Constants.farFutureEpoch, randaoCommitment: RuleFixture.root(400)))
        XCTAssertFalse(post.validators[8].isActiveValidator(0))
        XCTAssertEqual(post.accounts[RuleFixture.address(sender)]?.balance.rawValue, RuleFixture.accountBalance.rawValue - amount.rawValue - 100)
        XCTAssertEqual(RuleFixture.totalSupply(post), RuleFixture.totalSupply(state), "stake moves from the account")
        XCTAssertEqual(post.getActiveValidatorIndices(0).count, 8)
    }

    func testADepositBelowTheMaximumRoundsItsEffectiveStakeDown() throws {
        let state = try RuleFixture.genesis()
        let (_, sender) = try proposerAndSender(state)
        let amount = Stake(20 * Self.unit + Self.unit / 2)
        let post = try applied(state, [deposit(key: 100, from: sender, amount: amount, state)])
        XCTAssertEqual(post.validators[8].balance, amount)
        XCTAssertEqual(post.validators[8].effectiveStake, Stake(20 * Self.unit))
        let large = try applied(state, [deposit(key: 100, from: sender, amount: Stake(40 * Self.unit), state)])
        XCTAssertEqual(large.validators[8].effectiveStake, state.preset.maxEffectiveStake, "capped at the maximum")
    }

    func testABadProofOfPossessionIsRejected() throws {
        let state = try RuleFixture.genesis()
        let (_, sender) = try proposerAndSender(state)
        let amount = Stake(32 * Self.unit)
        let wrongKey = deposit(key: 100, from: sender, amount: amount, proofKey: 101, state)
        let wrongAmount = deposit(key: 100, from: sender, amount: amount, proofAmount: Stake(amount.rawValue - 1), state)
        let wrongDomain = deposit(key: 100, from: sender, amount: amount, proofDomain: .transaction, state)
        for transaction in [wrongKey, wrongAmount, wrongDomain] {
            XCTAssertEqual(try rejection([transaction], state), .transaction(index: 0, reason: .badProofOfPossession))
        }
        // The proof binds the withdrawal address: another account cannot replay it.
        let other = (sender + 1) % 8
        var replayed = deposit(key: 100, from: sender, amount: amount, state).message
        replayed.sender = RuleFixture.address(other)
        XCTAssertEqual(
            try rejection([RuleFixture.sign(replayed, by: other, state)], state), .transaction(index: 0, reason: .badProofOfPossession))
    }

    func testADepositBelowTheMinimumOrAboveTheBalanceIsRejected() throws {
        let state = try RuleFixture.genesis()
        let (_, sender) = try proposerAndSender(state)
        let minimum = state.preset.minDepositAmount
        XCTAssertEqual(
            try rejection([deposit(key: 100, from: sender, amount: Stake(minimum.rawValue - 1), state)], state),
            .transaction(index: 0, reason: .depositBelowMinimum(amount: Stake(minimum.rawValue - 1), minimum: minimum)))
        let tooMuch = RuleFixture.accountBalance
        XCTAssertEqual(
            try rejection([deposit(key: 100, from: sender, amount: tooMuch, state)], state),
            .transaction(index: 0, reason: .insufficientBalance(needed: Stake(tooMuch.rawValue + 100), available: tooMuch)))
    }

    func testADepositForAnExistingKeyTopsItUp() throws {
        let state = try RuleFixture.genesis()
        let (_, sender) = try proposerAndSender(state)
        let target = (sender + 2) % 8
        // A top-up needs no proof of possession (phase0 `apply_deposit`), and keeps the validator's
        // withdrawal address and commitment.
        let topUp = deposit(key: target, from: sender, amount: Stake(2 * Self.unit), proofKey: 101, state)
        let post = try applied(state, [topUp])
        XCTAssertEqual(post.validators.count, 8)
        var expected = state.validators[Int(target)]
        expected.balance = Stake(34 * Self.unit)
        XCTAssertEqual(post.validators[Int(target)], expected)
        XCTAssertEqual(post.accounts[RuleFixture.address(sender)]?.balance.rawValue, RuleFixture.accountBalance.rawValue - 2 * Self.unit - 100)
        // A second deposit of a new key in the same block is a top-up of the first.
        let twice = try applied(state, [
            deposit(key: 100, from: sender, amount: Stake(32 * Self.unit), state),
            RuleFixture.sign(Transaction(
                sender: RuleFixture.address(sender), nonce: 1, fee: 100,
                kind: deposit(key: 100, from: sender, amount: Stake(Self.unit), state).message.kind), by: sender, state),
        ])
        XCTAssertEqual(twice.validators.count, 9)
        XCTAssertEqual(twice.validators[8].balance, Stake(33 * Self.unit))
    }

    func testADepositedValidatorActivatesOnceItsEligibilityEpochIsFinalized() throws {
        let chain = try RuleChains.partial.get()
        let depositor = RuleFixture.address(RuleChains.Partial.depositor)
        XCTAssertEqual(chain.blocks[1]?.message.body.transactions, [chain.deposit], "the deposit was included")
        let index = 8
        // End of epoch 0: queued for activation (eligible from epoch 1).
        let queued = chain.state(8).validators[index]
        XCTAssertEqual(queued.withdrawalAddress, depositor)
        XCTAssertEqual(queued.activationEligibilityEpoch, 1)
        XCTAssertEqual(queued.activationEpoch, Constants.farFutureEpoch)
        // End of epoch 2: epoch 1 is justified but nothing beyond genesis is finalized.
        let waiting = chain.state(24)
        XCTAssertEqual(waiting.finalizedCheckpoint.epoch, 0)
        XCTAssertEqual(waiting.validators[index].activationEpoch, Constants.farFutureEpoch)
        // End of epoch 3: finality passes epoch 1, so it activates after the seed lookahead.
        let activated = chain.state(32)
        XCTAssertGreaterThanOrEqual(activated.finalizedCheckpoint.epoch, 1)
        XCTAssertEqual(activated.validators[index].activationEpoch, Epoch(3 + 1 + activated.preset.maxSeedLookahead))
        XCTAssertFalse(activated.getActiveValidatorIndices(activated.getCurrentEpoch()).contains(ValidatorIndex(UInt64(index))))
        XCTAssertTrue(activated.validators[index].isActiveValidator(Epoch(3 + 1 + activated.preset.maxSeedLookahead)))
    }

    // MARK: Exit

    private func exit(_ validator: ValidatorIndex, from sender: UInt64, nonce: UInt64 = 0, _ state: ChainState) -> SignedTransaction {
        RuleFixture.transaction(from: sender, .exit(validator: validator), fee: 50, nonce: nonce, state)
    }

    func testAnExitByTheWithdrawalAddressQueuesTheExit() throws {
        let state = try RuleFixture.genesis()
        let (_, sender) = try proposerAndSender(state)
        let post = try applied(state, [exit(ValidatorIndex(sender), from: sender, state)])
        let validator = post.validators[Int(sender)]
        XCTAssertEqual(validator.exitEpoch, Epoch(1 + state.preset.maxSeedLookahead))
        XCTAssertEqual(validator.withdrawableEpoch, Epoch(1 + state.preset.maxSeedLookahead + state.preset.minValidatorWithdrawabilityDelay))
        XCTAssertFalse(validator.slashed)
        XCTAssertEqual(validator.balance, state.validators[Int(sender)].balance)
        XCTAssertEqual(post.accounts[RuleFixture.address(sender)]?.nonce, 1)
    }

    func testExitsBeyondTheChurnLimitWaitAnEpoch() throws {
        let state = try RuleFixture.genesis()
        let limit = state.getValidatorChurnLimit()
        XCTAssertEqual(limit, state.preset.minPerEpochChurnLimit)
        let exits = (0...limit).map { exit(ValidatorIndex($0), from: $0, state) }
        let post = try applied(state, exits)
        let firstEpoch = 1 + state.preset.maxSeedLookahead
        XCTAssertEqual(
            (0...limit).map { post.validators[Int($0)].exitEpoch.rawValue },
            Array(repeating: firstEpoch, count: Int(limit)) + [firstEpoch + 1])
        XCTAssertEqual(post.validators[Int(limit)].withdrawableEpoch.rawValue, firstEpoch + 1 + state.preset.minValidatorWithdrawabilityDelay)
    }

    func testAnExitByAnotherAccountIsRejected() throws {
        let state = try RuleFixture.genesis()
        let (_, sender) = try proposerAndSender(state)
        let victim = ValidatorIndex((sender + 1) % 8)
        XCTAssertEqual(try rejection([exit(victim, from: sender, state)], state), .transaction(index: 0, reason: .notWithdrawalAddress(victim)))
    }

    func testExitingTwiceIsRejected() throws {
        let state = try RuleFixture.genesis()
        let (_, sender) = try proposerAndSender(state)
        let validator = ValidatorIndex(sender)
        let twice = [exit(validator, from: sender, state), exit(validator, from: sender, nonce: 1, state)]
        XCTAssertEqual(try rejection(twice, state), .transaction(index: 1, reason: .validatorAlreadyExiting(validator)))
    }

    func testAnExitOfAnUnknownOrInactiveValidatorIsRejected() throws {
        var config = RuleFixture.config()
        config.validators[7].stake = Stake(16 * Self.unit)
        let state = try ChainState.genesis(config)
        XCTAssertEqual(try rejection([exit(99, from: 7, state)], state), .transaction(index: 0, reason: .unknownValidator(99)))
        XCTAssertEqual(try rejection([exit(7, from: 7, state)], state), .transaction(index: 0, reason: .validatorNotActive(7)))
    }

    func testAnExitSignedInTheTransactionDomainIsRejected() throws {
        let state = try RuleFixture.genesis()
        let (_, sender) = try proposerAndSender(state)
        let transaction = Transaction(sender: RuleFixture.address(sender), nonce: 0, fee: 50, kind: .exit(validator: ValidatorIndex(sender)))
        let root = computeSigningRoot(transaction.hashTreeRoot, domain: .transaction, genesisRoot: state.genesisRoot)
        let signed = SignedTransaction(message: transaction, signature: RuleFixture.secretKey(sender).sign(root))
        XCTAssertEqual(try rejection([signed], state), .transaction(index: 0, reason: .badSignature))
    }
}
