import KeelChain
@testable import KeelConsensus
import KeelCrypto
import XCTest

/// The door's try of a transaction with the account's next nonce: one no block could include now
/// is refused as `wouldFail` (a call checked up to running its program), a later nonce is not
/// tried, and a peer gossiping such a transaction is not penalized.
final class TransactionDryRunTests: XCTestCase {
    private var devnet: Devnet!

    override func setUpWithError() throws {
        devnet = try Devnet(validatorCount: 4)
    }

    private func signed(_ kind: TransactionKind, from sender: Int = 0, nonce: UInt64 = 0, fee: UInt64 = 1_000) -> SignedTransaction {
        let message = Transaction(sender: Address(devnet.secretKeys[sender].publicKey), nonce: nonce, fee: Stake(fee), kind: kind)
        return SignedTransaction(message: message, signature: devnet.secretKeys[sender].sign(devnet.genesis.signingRoot(of: message)))
    }

    func testATransactionThatWouldFailNowIsRefusedButALaterNonceIsNotTried() throws {
        let nowhere = Address(SHA256.hash(Array("keel/test/nowhere".utf8)))
        let call = signed(.call(program: nowhere, input: [], stepLimit: 10))
        XCTAssertThrowsError(try VerifiedTransaction.verify(call, state: devnet.genesis)) { error in
            XCTAssertEqual(error as? TransactionRejection, .wouldFail(.unknownProgram(nowhere)))
        }
        let exit = signed(.exit(validator: ValidatorIndex(1)), from: 0)
        XCTAssertThrowsError(try VerifiedTransaction.verify(exit, state: devnet.genesis)) { error in
            XCTAssertEqual(error as? TransactionRejection, .wouldFail(.notWithdrawalAddress(ValidatorIndex(1))))
        }
        let belowStepCost = signed(.call(program: nowhere, input: [], stepLimit: 5_000), fee: 10)
        XCTAssertThrowsError(try VerifiedTransaction.verify(belowStepCost, state: devnet.genesis)) { error in
            XCTAssertEqual(error as? TransactionRejection, .wouldFail(.feeBelowStepCost(fee: Stake(10), stepCost: Stake(5_000))))
        }
        // Nonce 1 waits for nonce 0 (a deploy of the program, say): not tried.
        XCTAssertNoThrow(try VerifiedTransaction.verify(signed(.call(program: nowhere, input: [], stepLimit: 10), nonce: 1), state: devnet.genesis))
    }

    func testAPeerGossipingATransactionThatWouldFailIsNotPenalized() {
        var core = NodeCore(anchorState: devnet.genesis, currentSlot: Slot(0), signer: DevnetSigner.none)
        let actions = core.handle(.transaction(signed(.exit(validator: ValidatorIndex(2))), from: PeerID(5)))
        XCTAssertFalse(actions.contains { if case .penalize = $0 { true } else { false } }, "its state may differ from ours")
        XCTAssertEqual(core.transactionPool.count, 0, "not pooled")
        let forged = SignedTransaction(message: signed(.exit(validator: ValidatorIndex(2))).message, signature: devnet.secretKeys[3].sign(.zero))
        XCTAssertTrue(core.handle(.transaction(forged, from: PeerID(5))).contains { if case .penalize = $0 { true } else { false } }, "a forgery still is")
    }
}
