import KeelChain
import KeelConsensus
import KeelCrypto
import XCTest

/// `VerifiedTransaction.verify`: the door every transaction passes before a pool, relay or a
/// block; each refusal is one forged or stale input.
final class VerifiedTransactionTests: XCTestCase {
    private var devnet: Devnet!

    override func setUpWithError() throws {
        devnet = try Devnet(validatorCount: 4)
    }

    private func sender(_ index: Int) -> Address { Address(devnet.secretKeys[index].publicKey) }

    private func transfer(from index: Int, nonce: UInt64 = 0, fee: UInt64 = 10, amount: UInt64 = 5) -> Transaction {
        Transaction(sender: sender(index), nonce: nonce, fee: Stake(fee), kind: .transfer(recipient: sender(3), amount: Stake(amount)))
    }

    private func signed(_ transaction: Transaction, by index: Int) -> SignedTransaction {
        SignedTransaction(message: transaction, signature: devnet.secretKeys[index].sign(devnet.genesis.signingRoot(of: transaction)))
    }

    private func rejection(_ transaction: SignedTransaction) -> TransactionRejection? {
        do {
            _ = try VerifiedTransaction.verify(transaction, state: devnet.genesis)
            return nil
        } catch { return error }
    }

    func testTheSendersSignatureVerifiesAndKeepsTheSignedRoot() throws {
        let transaction = signed(transfer(from: 0), by: 0)
        let verified = try VerifiedTransaction.verify(transaction, state: devnet.genesis)
        XCTAssertEqual(verified.signed, transaction)
        XCTAssertEqual(verified.root, transaction.hashTreeRoot)
    }

    func testGarbageSignatureIsRefused() {
        let forged = SignedTransaction(message: transfer(from: 0), signature: Signature(bytes: [UInt8](repeating: 7, count: 64))!)
        XCTAssertEqual(rejection(forged), .badSignature)
    }

    func testAnotherAccountsValidSignatureIsRefused() {
        XCTAssertEqual(rejection(signed(transfer(from: 0), by: 1)), .badSignature)
    }

    func testASignatureForAnotherChainIsRefused() throws {
        let other = DevnetGenesis.config(validatorCount: 4, preset: .devnet, genesisTimeMs: 1, randaoChainLength: 256)
        let otherState = try ChainState.genesis(other)
        XCTAssertNotEqual(otherState.genesisRoot, devnet.genesis.genesisRoot)
        let transaction = transfer(from: 0)
        let replayed = SignedTransaction(message: transaction, signature: devnet.secretKeys[0].sign(otherState.signingRoot(of: transaction)))
        XCTAssertEqual(rejection(replayed), .badSignature)
    }

    func testUnknownSenderIsRefused() {
        let stranger = SecretKey(bytes: [UInt8](repeating: 9, count: 32))!
        let transaction = Transaction(
            sender: Address(stranger.publicKey), nonce: 0, fee: Stake(1), kind: .transfer(recipient: sender(0), amount: Stake(1)))
        let signedByStranger = SignedTransaction(message: transaction, signature: stranger.sign(devnet.genesis.signingRoot(of: transaction)))
        XCTAssertEqual(rejection(signedByStranger), .unknownSender(Address(stranger.publicKey)))
    }

    func testStaleAndFarFutureNoncesAreRefused() throws {
        let first = signed(transfer(from: 0), by: 0)
        let (block, state) = try devnet.makeBlock(on: devnet.genesis, slot: Slot(1), operations: BlockOperations(transactions: [first]))
        XCTAssertEqual(block.message.body.transactions, [first], "the first transfer is included")
        XCTAssertEqual(state.accounts[sender(0)]?.nonce, 1)
        do {
            _ = try VerifiedTransaction.verify(signed(transfer(from: 0, nonce: 0), by: 0), state: state)
            XCTFail("a spent nonce verified")
        } catch { XCTAssertEqual(error, .staleNonce(got: 0, expected: 1)) }
        let ahead = 1 + VerifiedTransaction.nonceWindowMax
        do {
            _ = try VerifiedTransaction.verify(signed(transfer(from: 0, nonce: ahead), by: 0), state: state)
            XCTFail("a nonce past the window verified")
        } catch { XCTAssertEqual(error, .nonceTooFarAhead(got: ahead, expected: 1, windowMax: VerifiedTransaction.nonceWindowMax)) }
        XCTAssertNoThrow(try VerifiedTransaction.verify(signed(transfer(from: 0, nonce: 2), by: 0), state: state), "a queued nonce waits")
    }

    func testFeeAboveBalanceIsRefused() {
        let balance = devnet.genesis.accounts[sender(0)]!.balance
        let transaction = signed(transfer(from: 0, fee: balance.rawValue, amount: 1), by: 0)
        XCTAssertEqual(rejection(transaction), .insufficientBalance(needed: Stake(balance.rawValue + 1), available: balance))
    }

    func testDepositWithAForgedProofOfPossessionIsRefused() {
        let newKey = SecretKey(bytes: [UInt8](repeating: 5, count: 32))!
        let deposit = Transaction(
            sender: sender(0), nonce: 0, fee: Stake(1),
            kind: .deposit(
                validatorKey: newKey.publicKey, amount: devnet.genesis.preset.minDepositAmount, randaoCommitment: SHA256.hash(Root.zero),
                proofOfPossession: Signature(bytes: [UInt8](repeating: 3, count: 64))!))
        XCTAssertEqual(rejection(signed(deposit, by: 0)), .badProofOfPossession)
    }
}
