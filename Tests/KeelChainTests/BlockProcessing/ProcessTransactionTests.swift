import KeelChain
import KeelCrypto
import KeelTestSupport
import KeelVM
import XCTest

/// `processTransaction` for transfers, deploys and calls: exact balance and nonce effects, the fee
/// to the proposer's withdrawal account, the VM's storage on halt and on fault, and every
/// rejection leaving the state untouched.
final class ProcessTransactionTests: XCTestCase {
    private static let counter = Address(RuleFixture.root(500))
    private static let faulting = Address(RuleFixture.root(501))
    private static let looping = Address(RuleFixture.root(502))

    /// A genesis with the counter, faulting and looping programs deployed.
    private func genesis(preset: Preset = .devnet) throws -> ChainState {
        try RuleFixture.genesis(preset: preset, programs: [
            Self.counter: RuleFixture.program(RuleFixture.counterSource),
            Self.faulting: RuleFixture.program(RuleFixture.faultingSource),
            Self.looping: RuleFixture.program(RuleFixture.loopingSource),
        ])
    }

    /// The proposer of slot 1 and two other validators (senders), all distinct.
    private func roles(_ state: ChainState) throws -> (proposer: ValidatorIndex, sender: UInt64, other: UInt64) {
        let proposer = try RuleFixture.proposer(state, at: 1)
        return (proposer, (proposer.rawValue + 1) % 8, (proposer.rawValue + 2) % 8)
    }

    /// Applies `transactions` in the block of slot 1 (which must be valid).
    private func applied(_ state: ChainState, _ transactions: [SignedTransaction]) throws -> ChainState {
        var post = state
        RuleFixture.apply(try RuleFixture.makeBlock(on: state, slot: 1, transactions: transactions), to: &post)
        return post
    }

    /// `transaction` is rejected for `reason` on its own, changing nothing, and its block is
    /// rejected naming it.
    private func assertRejected(
        _ transaction: SignedTransaction, _ state: ChainState, _ reason: TransactionInvalid,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var slotted = state
        try slotted.processSlots(1)
        let proposer = try slotted.getBeaconProposerIndex()
        let before = RuleFixture.root(of: slotted)
        var verifier = SignatureVerifier(.verifyIndividually)
        do {
            try slotted.processTransaction(transaction, proposerIndex: proposer, verifier: &verifier)
            XCTFail("transaction accepted", file: file, line: line)
        } catch {
            XCTAssertEqual(error, reason, file: file, line: line)
        }
        XCTAssertEqual(RuleFixture.root(of: slotted), before, "a rejected transaction changes nothing", file: file, line: line)
        let block = try RuleFixture.makeBlock(on: state, slot: 1, transactions: [transaction])
        XCTAssertEqual(RuleFixture.rejection(block, on: state), .transaction(index: 0, reason: reason), file: file, line: line)
    }

    private func balance(_ state: ChainState, _ address: Address) -> UInt64 { state.accounts[address]?.balance.rawValue ?? 0 }

    // MARK: Transfer

    func testTransferMovesExactlyTheAmountAndPaysTheFeeToTheProposer() throws {
        let state = try genesis()
        let (proposer, sender, other) = try roles(state)
        let from = RuleFixture.address(sender)
        let fresh = RuleFixture.address(60)
        let existing = RuleFixture.address(other)
        let beneficiary = RuleFixture.address(proposer.rawValue)
        let first = RuleFixture.transaction(from: sender, .transfer(recipient: fresh, amount: 5_000), fee: 70, state)
        let second = RuleFixture.transaction(
            from: sender, .transfer(recipient: existing, amount: 9_000), fee: 30, nonce: 1, state)
        let post = try applied(state, [first, second])
        let start = RuleFixture.accountBalance.rawValue
        XCTAssertEqual(balance(post, from), start - 5_000 - 70 - 9_000 - 30)
        XCTAssertEqual(post.accounts[from]?.nonce, 2)
        XCTAssertEqual(post.accounts[fresh], Account(balance: 5_000, nonce: 0), "a transfer creates the recipient")
        XCTAssertEqual(post.accounts[existing], Account(balance: Stake(start + 9_000), nonce: 0))
        XCTAssertEqual(balance(post, beneficiary), start + 100)
        XCTAssertEqual(RuleFixture.totalSupply(post), RuleFixture.totalSupply(state), "transfers and fees conserve supply")
        XCTAssertEqual(post.validators.map(\.balance), state.validators.map(\.balance))
    }

    func testTransferToSelfOnlyCostsTheFee() throws {
        let state = try genesis()
        let (_, sender, _) = try roles(state)
        let from = RuleFixture.address(sender)
        let post = try applied(state, [RuleFixture.transaction(from: sender, .transfer(recipient: from, amount: 7_000), fee: 11, state)])
        XCTAssertEqual(post.accounts[from], Account(balance: Stake(RuleFixture.accountBalance.rawValue - 11), nonce: 1))
    }

    func testTheWholeBalanceCanBeSpentButNotMore() throws {
        let state = try genesis()
        let (_, sender, _) = try roles(state)
        let fee: Stake = 1_000
        let all = Stake(RuleFixture.accountBalance.rawValue - fee.rawValue)
        let exact = RuleFixture.transaction(from: sender, .transfer(recipient: RuleFixture.address(60), amount: all), fee: fee, state)
        XCTAssertEqual(try applied(state, [exact]).accounts[RuleFixture.address(sender)]?.balance, .zero)
        let over = RuleFixture.transaction(
            from: sender, .transfer(recipient: RuleFixture.address(60), amount: Stake(all.rawValue + 1)), fee: fee, state)
        try assertRejected(over, state, .insufficientBalance(needed: Stake(all.rawValue + 1 + fee.rawValue), available: RuleFixture.accountBalance))
        let overflow = RuleFixture.transaction(
            from: sender, .transfer(recipient: RuleFixture.address(60), amount: Stake(UInt64.max)), fee: fee, state)
        try assertRejected(overflow, state, .arithmetic(.overflow))
        let feeOnly = RuleFixture.transaction(
            from: sender, .transfer(recipient: RuleFixture.address(60), amount: 0), fee: Stake(RuleFixture.accountBalance.rawValue + 1), state)
        try assertRejected(feeOnly, state, .insufficientBalance(needed: Stake(RuleFixture.accountBalance.rawValue + 1), available: RuleFixture.accountBalance))
    }

    func testATransferThatWouldOverflowTheRecipientIsRejectedBeforeAnyWrite() throws {
        var config = RuleFixture.config()
        let rich = RuleFixture.address(60)
        config.accounts[rich] = Stake(UInt64.max - 10)
        let state = try ChainState.genesis(config)
        let (_, sender, _) = try roles(state)
        try assertRejected(
            RuleFixture.transaction(from: sender, .transfer(recipient: rich, amount: 11), state), state, .arithmetic(.overflow))
        let fits = RuleFixture.transaction(from: sender, .transfer(recipient: rich, amount: 10), state)
        XCTAssertEqual(try applied(state, [fits]).accounts[rich]?.balance, Stake(UInt64.max))
    }

    func testWrongNonceIsRejected() throws {
        let state = try genesis()
        let (_, sender, _) = try roles(state)
        let kind = TransactionKind.transfer(recipient: RuleFixture.address(60), amount: 1)
        try assertRejected(RuleFixture.transaction(from: sender, kind, nonce: 1, state), state, .wrongNonce(got: 1, expected: 0))
        // Replaying an executed transaction.
        let first = RuleFixture.transaction(from: sender, kind, state)
        let post = try applied(state, [first])
        var replay = post
        try replay.processSlots(2)
        var verifier = SignatureVerifier(.verifyIndividually)
        do {
            try replay.processTransaction(first, proposerIndex: 0, verifier: &verifier)
            XCTFail("a replayed transaction was accepted")
        } catch {
            XCTAssertEqual(error, .wrongNonce(got: 0, expected: 1))
        }
    }

    func testBadSignatureIsRejected() throws {
        let state = try genesis()
        let (_, sender, other) = try roles(state)
        let transaction = Transaction(
            sender: RuleFixture.address(sender), nonce: 0, fee: 10, kind: .transfer(recipient: RuleFixture.address(60), amount: 1))
        try assertRejected(RuleFixture.sign(transaction, by: other, state), state, .badSignature)
        // A signature under the exit domain for a transfer.
        let exitDomain = computeSigningRoot(transaction.hashTreeRoot, domain: .exit, genesisRoot: state.genesisRoot)
        let crossDomain = SignedTransaction(message: transaction, signature: RuleFixture.secretKey(sender).sign(exitDomain))
        try assertRejected(crossDomain, state, .badSignature)
    }

    func testUnknownSenderIsRejected() throws {
        let state = try genesis()
        let stranger = RuleFixture.address(60)
        let transaction = Transaction(sender: stranger, nonce: 0, fee: 0, kind: .transfer(recipient: stranger, amount: 0))
        try assertRejected(RuleFixture.sign(transaction, by: 60, state), state, .unknownSender(stranger))
    }

    // MARK: Deploy

    func testDeployCreatesTheProgramAtItsDerivedAddressWithZeroStorage() throws {
        let state = try genesis()
        let (proposer, sender, _) = try roles(state)
        let code = try RuleFixture.program(".storage 3\n.inputs 1\nadd r0, r3, 1\nhalt")
        let transfer = RuleFixture.transaction(from: sender, .transfer(recipient: RuleFixture.address(60), amount: 1), fee: 5, state)
        let deploy = RuleFixture.transaction(from: sender, .deploy(code: code), fee: 40, nonce: 1, state)
        let post = try applied(state, [transfer, deploy])
        let address = Address.program(deployer: RuleFixture.address(sender), nonce: 1)
        XCTAssertNotEqual(address, Address.program(deployer: RuleFixture.address(sender), nonce: 0))
        XCTAssertNotEqual(address, Address.program(deployer: RuleFixture.address(proposer.rawValue), nonce: 1))
        XCTAssertEqual(post.programs[address], ProgramAccount(code: code, storage: [0, 0, 0]))
        XCTAssertEqual(post.programs.count, state.programs.count + 1)
        XCTAssertEqual(post.accounts[RuleFixture.address(sender)]?.nonce, 2)
        XCTAssertEqual(balance(post, RuleFixture.address(sender)), RuleFixture.accountBalance.rawValue - 1 - 5 - 40)
    }

    func testDeployOfInvalidCodeIsRejected() throws {
        let state = try genesis()
        let (_, sender, _) = try roles(state)
        var code = try RuleFixture.program(RuleFixture.counterSource)
        code[4] = 2  // version
        for bad in [[], [1, 2, 3], code] as [[UInt8]] {
            let reason: String
            do {
                _ = try Program(decoding: bad)
                XCTFail("the VM accepts the invalid program")
                continue
            } catch {
                reason = error.description
            }
            try assertRejected(RuleFixture.transaction(from: sender, .deploy(code: bad), state), state, .invalidProgram(reason))
        }
    }

    func testDeployOverAnExistingProgramIsRejected() throws {
        let sender: UInt64 = 3
        let taken = Address.program(deployer: RuleFixture.address(sender), nonce: 0)
        let code = try RuleFixture.program(RuleFixture.counterSource)
        let state = try RuleFixture.genesis(programs: [taken: code])
        try assertRejected(RuleFixture.transaction(from: sender, .deploy(code: code), state), state, .programAlreadyExists(taken))
    }

    func testDeployOfTooMuchStorageIsRejected() throws {
        var preset = Preset.devnet
        preset.maxProgramStorageCells = 2
        let state = try RuleFixture.genesis(preset: preset)
        let code = try RuleFixture.program(".storage 3\nhalt")
        try assertRejected(
            RuleFixture.transaction(from: 2, .deploy(code: code), state), state, .programStorageTooLarge(cells: 3, limit: 2))
        XCTAssertNil(RuleFixture.rejection(
            try RuleFixture.makeBlock(on: state, slot: 1, transactions: [
                RuleFixture.transaction(from: 2, .deploy(code: try RuleFixture.program(".storage 2\nhalt")), state),
            ]), on: state))
    }

    func testDeployOfMoreBytesThanThePresetAllowsIsRejected() throws {
        let code = try RuleFixture.program(RuleFixture.counterSource)
        var preset = Preset.devnet
        preset.maxProgramBytes = UInt64(code.count - 1)
        let state = try RuleFixture.genesis(preset: preset)
        try assertRejected(
            RuleFixture.transaction(from: 2, .deploy(code: code), state), state,
            .programTooLarge(bytes: code.count, limit: preset.maxProgramBytes))
        preset.maxProgramBytes += 1
        let roomy = try RuleFixture.genesis(preset: preset)
        let post = try applied(roomy, [RuleFixture.transaction(from: 2, .deploy(code: code), roomy)])
        XCTAssertEqual(post.programs.count, 1, "code of exactly the limit deploys")
    }

    func testACallWithMoreInputCellsThanThePresetAllowsIsRejected() throws {
        var preset = Preset.devnet
        preset.maxCallInputCells = 1
        let wide = Address(RuleFixture.root(503))
        let state = try RuleFixture.genesis(preset: preset, programs: [wide: RuleFixture.program(".inputs 2\nhalt")])
        // The program itself takes two input cells; the network allows one per call.
        try assertRejected(
            RuleFixture.transaction(from: 2, .call(program: wide, input: [1, 2], stepLimit: 5), fee: 5, state), state,
            .tooManyInputCells(count: 2, limit: 1))
    }

    // MARK: Call

    func testCallRunsTheProgramAndPersistsItsStorage() throws {
        let state = try genesis()
        let (proposer, sender, other) = try roles(state)
        let calls = [
            RuleFixture.transaction(from: sender, .call(program: Self.counter, input: [5], stepLimit: 10), fee: 10, state),
            RuleFixture.transaction(from: other, .call(program: Self.counter, input: [3], stepLimit: 2), fee: 25, state),
            RuleFixture.transaction(from: sender, .call(program: Self.counter, input: [KoalaBear.p - 1], stepLimit: 2), fee: 2, nonce: 1, state),
        ]
        let post = try applied(state, calls)
        // 5 + 3 + (p - 1) = 7 (mod p).
        XCTAssertEqual(post.programs[Self.counter]?.storage, [7])
        XCTAssertEqual(post.programs[Self.counter]?.code, state.programs[Self.counter]?.code)
        XCTAssertEqual(balance(post, RuleFixture.address(sender)), RuleFixture.accountBalance.rawValue - 12)
        XCTAssertEqual(balance(post, RuleFixture.address(other)), RuleFixture.accountBalance.rawValue - 25)
        XCTAssertEqual(balance(post, RuleFixture.address(proposer.rawValue)), RuleFixture.accountBalance.rawValue + 37)

        var slotted = state
        try slotted.processSlots(1)
        var verifier = SignatureVerifier(.verifyIndividually)
        guard case let .called(call) = try slotted.processTransaction(calls[0], proposerIndex: proposer, verifier: &verifier) else {
            return XCTFail("a call's effect is a call")
        }
        XCTAssertEqual(call.result.status, .halted)
        XCTAssertEqual(call.result.steps, 2)
    }

    func testAFaultingCallKeepsTheFeeAndLeavesStorageUnchanged() throws {
        let state = try genesis()
        let (proposer, sender, _) = try roles(state)
        let cases: [(Address, UInt64, Fault)] = [
            (Self.faulting, 10, .memoryOutOfBounds),
            (Self.looping, 50, .stepLimit),
            (Self.counter, 1, .stepLimit),  // the counter needs two steps
        ]
        for (program, stepLimit, fault) in cases {
            let call = RuleFixture.transaction(from: sender, .call(program: program, input: [9], stepLimit: stepLimit), fee: 60, state)
            var slotted = state
            try slotted.processSlots(1)
            var verifier = SignatureVerifier(.verifyIndividually)
            guard case let .called(effect) = try slotted.processTransaction(call, proposerIndex: proposer, verifier: &verifier) else {
                return XCTFail("a call's effect is a call")
            }
            XCTAssertEqual(effect.result.status, .fault(fault), "\(fault)")
            XCTAssertNotEqual(effect.result.storage.first, 0, "the VM wrote storage before faulting")
            XCTAssertEqual(effect.storageChanges, [], "\(fault): a reverted call changes no cell")

            let post = try applied(state, [call])
            XCTAssertEqual(post.programs[program], state.programs[program], "\(fault): storage reverted")
            XCTAssertEqual(balance(post, RuleFixture.address(sender)), RuleFixture.accountBalance.rawValue - 60, "\(fault): fee kept")
            XCTAssertEqual(post.accounts[RuleFixture.address(sender)]?.nonce, 1)
            XCTAssertEqual(balance(post, RuleFixture.address(proposer.rawValue)), RuleFixture.accountBalance.rawValue + 60)
        }
    }

    func testFeeBelowTheStepCostIsRejected() throws {
        let state = try genesis()
        let (_, sender, _) = try roles(state)
        try assertRejected(
            RuleFixture.transaction(from: sender, .call(program: Self.counter, input: [1], stepLimit: 10), fee: 9, state),
            state, .feeBelowStepCost(fee: 9, stepCost: 10))
        var preset = Preset.devnet
        preset.feePerStep = 3
        let pricey = try genesis(preset: preset)
        try assertRejected(
            RuleFixture.transaction(from: sender, .call(program: Self.counter, input: [1], stepLimit: 10), fee: 29, pricey),
            pricey, .feeBelowStepCost(fee: 29, stepCost: 30))
        let exact = RuleFixture.transaction(from: sender, .call(program: Self.counter, input: [1], stepLimit: 10), fee: 30, pricey)
        XCTAssertEqual(try applied(pricey, [exact]).programs[Self.counter]?.storage, [1])
    }

    func testStepLimitAboveTheCallMaximumIsRejected() throws {
        let state = try genesis()
        let (_, sender, _) = try roles(state)
        let limit = state.preset.maxStepsPerCall
        try assertRejected(
            RuleFixture.transaction(
                from: sender, .call(program: Self.counter, input: [1], stepLimit: limit + 1), fee: Stake(limit + 1), state),
            state, .stepLimitTooHigh(requested: limit + 1, limit: limit))
    }

    func testInputCountMismatchAndUnknownProgramAreRejected() throws {
        let state = try genesis()
        let (_, sender, _) = try roles(state)
        for input in [[], [1, 2]] as [[UInt32]] {
            try assertRejected(
                RuleFixture.transaction(from: sender, .call(program: Self.counter, input: input, stepLimit: 5), fee: 5, state),
                state, .inputCountMismatch(expected: 1, got: input.count))
        }
        let nowhere = Address(RuleFixture.root(999))
        try assertRejected(
            RuleFixture.transaction(from: sender, .call(program: nowhere, input: [1], stepLimit: 5), fee: 5, state),
            state, .unknownProgram(nowhere))
    }

    func testAnInputCellOutsideTheFieldIsRejectedNotATrap() throws {
        // Decoding rejects such a cell, but a block built in memory (a proposer's pool, a fuzzer)
        // reaches the state transition without decoding.
        let state = try genesis()
        let (_, sender, _) = try roles(state)
        try assertRejected(
            RuleFixture.transaction(from: sender, .call(program: Self.counter, input: [KoalaBear.p], stepLimit: 5), fee: 5, state),
            state, .inputNotInField(value: KoalaBear.p))
    }

    func testTheBlockStepBudgetIsEnforced() throws {
        let state = try genesis()
        let perCall = state.preset.maxStepsPerCall
        let callCount = state.preset.maxStepsPerBlock / perCall
        XCTAssertEqual(callCount * perCall, state.preset.maxStepsPerBlock)
        func calls(_ count: UInt64) -> [SignedTransaction] {
            (0..<count).map { nonce in
                RuleFixture.transaction(
                    from: 4, .call(program: Self.counter, input: [1], stepLimit: perCall), fee: Stake(perCall), nonce: nonce, state)
            }
        }
        XCTAssertEqual(try applied(state, calls(callCount)).programs[Self.counter]?.storage, [UInt32(callCount)])
        XCTAssertEqual(
            RuleFixture.rejection(try RuleFixture.makeBlock(on: state, slot: 1, transactions: calls(callCount + 1)), on: state),
            .blockStepLimitExceeded(steps: (callCount + 1) * perCall, limit: state.preset.maxStepsPerBlock))
        // Step limits that overflow a UInt64 when summed.
        let huge = (0..<UInt64(2)).map { nonce in
            RuleFixture.transaction(from: 4, .call(program: Self.counter, input: [1], stepLimit: .max), fee: 1, nonce: nonce, state)
        }
        XCTAssertEqual(
            RuleFixture.rejection(try RuleFixture.makeBlock(on: state, slot: 1, transactions: huge), on: state),
            .blockStepLimitExceeded(steps: .max, limit: state.preset.maxStepsPerBlock))
    }
}
