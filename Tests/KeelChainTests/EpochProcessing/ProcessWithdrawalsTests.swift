@testable import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `processWithdrawals` (Keel's addition to phase0): at its withdrawable epoch a validator's whole
/// balance moves to its withdrawal account, conserving supply.
final class ProcessWithdrawalsTests: XCTestCase {
    private static let unit: UInt64 = 1_000_000_000

    func testAWithdrawableValidatorsBalanceMovesToItsWithdrawalAccount() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(16)
        let fresh = RuleFixture.address(70)
        state.validators[2].exitEpoch = 1
        state.validators[2].withdrawableEpoch = 2
        state.validators[2].balance = Stake(31 * Self.unit + 5)
        state.validators[5].exitEpoch = 1
        state.validators[5].withdrawableEpoch = 1
        state.validators[5].withdrawalAddress = fresh
        state.validators[6].exitEpoch = 2
        state.validators[6].withdrawableEpoch = 3
        let before = state.validators.map(\.balance)
        let supply = RuleFixture.totalSupply(state)
        state.processWithdrawals()
        XCTAssertEqual(state.validators[2].balance, .zero)
        XCTAssertEqual(state.accounts[RuleFixture.address(2)]?.balance.rawValue, RuleFixture.accountBalance.rawValue + 31 * Self.unit + 5)
        XCTAssertEqual(state.accounts[RuleFixture.address(2)]?.nonce, 0)
        XCTAssertEqual(state.accounts[fresh], Account(balance: before[5]), "the account is created")
        XCTAssertEqual(state.validators[5].balance, .zero)
        XCTAssertEqual(state.validators[6].balance, before[6], "not withdrawable before its epoch")
        XCTAssertEqual(state.accounts[RuleFixture.address(6)]?.balance, RuleFixture.accountBalance)
        XCTAssertEqual(RuleFixture.totalSupply(state), supply)
        let again = RuleFixture.root(of: state)
        state.processWithdrawals()
        XCTAssertEqual(RuleFixture.root(of: state), again, "nothing left to withdraw")
    }

    func testAnExitedValidatorIsPaidOutAtItsWithdrawableEpoch() throws {
        var state = try RuleFixture.genesis()
        let proposer = try RuleFixture.proposer(state, at: 1)
        let leaver = (proposer.rawValue + 1) % 8
        let exit = RuleFixture.transaction(from: leaver, .exit(validator: ValidatorIndex(leaver)), fee: 10, state)
        RuleFixture.apply(try RuleFixture.makeBlock(on: state, slot: 1, transactions: [exit]), to: &state)
        let withdrawable = state.validators[Int(leaver)].withdrawableEpoch
        XCTAssertEqual(withdrawable, Epoch(1 + state.preset.maxSeedLookahead + state.preset.minValidatorWithdrawabilityDelay))
        let address = RuleFixture.address(leaver)
        // The end of the epoch before: still staked.
        try state.processSlots(Slot(withdrawable.rawValue * 8))
        XCTAssertGreaterThan(state.validators[Int(leaver)].balance.rawValue, 31 * Self.unit)
        // The last slot of the withdrawable epoch, then its end.
        try state.processSlots(Slot(withdrawable.rawValue * 8 + 7))
        let staked = state.validators[Int(leaver)].balance.rawValue
        let liquid = state.accounts[address]!.balance.rawValue
        try state.processSlots(Slot(withdrawable.rawValue * 8 + 8))
        XCTAssertEqual(state.validators[Int(leaver)].balance, .zero)
        XCTAssertEqual(state.validators[Int(leaver)].effectiveStake, .zero, "effective stake follows in the same epoch")
        XCTAssertEqual(state.accounts[address]!.balance.rawValue, liquid + staked, "an exited validator earns nothing meanwhile")
    }
}
