import KeelChain
import KeelCrypto
import KeelTestSupport
import KeelVM
import XCTest

/// `transactionReceipts(of:)`: receipts recomputed from a block and its pre-state say what each
/// transaction did: the fee, a deploy's address, a call's steps, output, fault and the storage
/// cells it changed (none when it faulted), a deposit's validator.
final class TransactionReceiptTests: XCTestCase {
    private static let counter = Address(RuleFixture.root(600))
    private static let faulting = Address(RuleFixture.root(601))

    private func genesis() throws -> ChainState {
        try RuleFixture.genesis(programs: [
            Self.counter: RuleFixture.program(RuleFixture.counterSource),
            Self.faulting: RuleFixture.program(RuleFixture.faultingSource),
        ])
    }

    func testEveryKindGetsAReceiptThatMatchesThePostState() throws {
        let state = try genesis()
        let proposer = try RuleFixture.proposer(state, at: 1)
        let sender = (proposer.rawValue + 1) % 8
        let recipient = RuleFixture.address((proposer.rawValue + 2) % 8)
        let code = try RuleFixture.program(RuleFixture.counterSource)
        let kinds: [(TransactionKind, UInt64)] = [
            (.transfer(recipient: recipient, amount: Stake(5_000)), 100),
            (.deploy(code: code), 200),
            (.call(program: Self.counter, input: [7], stepLimit: 10), 300),
            (.call(program: Self.faulting, input: [9], stepLimit: 10), 400),
            (.call(program: Self.counter, input: [0], stepLimit: 10), 500),
        ]
        let transactions = kinds.enumerated().map { nonce, entry in
            RuleFixture.transaction(from: sender, entry.0, fee: Stake(entry.1), nonce: UInt64(nonce), state)
        }
        let block = try RuleFixture.makeBlock(on: state, slot: 1, transactions: transactions)
        var post = state
        RuleFixture.apply(block, to: &post)

        let receipts = try state.transactionReceipts(of: block.message)
        XCTAssertEqual(receipts.map(\.transactionRoot), transactions.map(\.hashTreeRoot), "the signed transactions' roots, in order")
        XCTAssertEqual(receipts.map(\.index), Array(0..<5))
        XCTAssertEqual(receipts.map(\.feePaid.rawValue), [100, 200, 300, 400, 500])
        XCTAssertEqual(receipts.map(\.nonce), [0, 1, 2, 3, 4])
        XCTAssertEqual(receipts.map(\.succeeded), [true, true, true, false, true])

        XCTAssertEqual(receipts[0].effect, .transferred)
        let deployed = Address.program(deployer: RuleFixture.address(sender), nonce: 1)
        XCTAssertEqual(receipts[1].effect, .deployed(program: deployed))
        XCTAssertNotNil(post.programs[deployed], "the receipt names the program the deploy created")

        guard case let .called(first) = receipts[2].effect, case let .called(faulted) = receipts[3].effect,
            case let .called(unchanged) = receipts[4].effect
        else { return XCTFail("calls have call effects") }
        XCTAssertEqual(first.result.status, .halted)
        XCTAssertEqual(first.result.steps, 2)
        XCTAssertEqual(first.storageChanges, [StorageChange(cell: 0, before: 0, after: 7)])
        XCTAssertEqual(post.programs[Self.counter]?.storage, [7], "the change the receipt reports is the post-state's")
        XCTAssertEqual(faulted.result.status, .fault(.memoryOutOfBounds))
        XCTAssertEqual(faulted.storageChanges, [], "a fault reverts storage: no change to report")
        XCTAssertEqual(post.programs[Self.faulting]?.storage, [0])
        XCTAssertEqual(unchanged.storageChanges, [], "adding zero changes no cell")
        XCTAssertEqual(unchanged.storageBefore, [7], "the second call sees the first call's write")
    }

    func testADepositReceiptNamesTheNewValidator() throws {
        let state = try genesis()
        let proposer = try RuleFixture.proposer(state, at: 1)
        let sender = (proposer.rawValue + 1) % 8
        let key = DevnetKeys.secretKey(validatorIndex: 900)
        let commitment = RuleFixture.root(77)
        let amount = state.preset.minDepositAmount
        let message = ChainState.depositMessageRoot(
            validatorKey: key.publicKey, withdrawalAddress: RuleFixture.address(sender), amount: amount, randaoCommitment: commitment)
        let possession = key.sign(computeSigningRoot(message, domain: .deposit, genesisRoot: state.genesisRoot))
        let deposit = RuleFixture.transaction(
            from: sender, .deposit(validatorKey: key.publicKey, amount: amount, randaoCommitment: commitment, proofOfPossession: possession),
            state)
        let block = try RuleFixture.makeBlock(on: state, slot: 1, transactions: [deposit])
        let receipts = try state.transactionReceipts(of: block.message)
        XCTAssertEqual(receipts.first?.effect, .deposited(validator: ValidatorIndex(UInt64(state.validators.count)), created: true))
    }

    func testABlockWithoutTransactionsHasNoReceiptsAndAWrongPreStateIsRefused() throws {
        let state = try genesis()
        let empty = try RuleFixture.makeBlock(on: state, slot: 1)
        XCTAssertEqual(try state.transactionReceipts(of: empty.message), [])

        let proposer = try RuleFixture.proposer(state, at: 1)
        let transfer = RuleFixture.transaction(
            from: (proposer.rawValue + 1) % 8, .transfer(recipient: RuleFixture.address(0), amount: Stake(1)), state)
        let block = try RuleFixture.makeBlock(on: state, slot: 1, transactions: [transfer])
        var later = state
        RuleFixture.apply(block, to: &later)
        XCTAssertThrowsError(try later.transactionReceipts(of: block.message), "the post-state is not the block's pre-state")
    }
}
