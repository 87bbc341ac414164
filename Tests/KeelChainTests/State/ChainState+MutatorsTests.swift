@testable import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// phase0 "Beacon state mutators": `increaseBalance`, `decreaseBalance`,
/// `initiateValidatorExit` (the exit queue and its churn).
final class ChainStateMutatorsTests: XCTestCase {
    func testDecreaseBalanceSaturatesAtZero() throws {
        var state = try RuleFixture.genesis()
        state.increaseBalance(1, 5)
        XCTAssertEqual(state.validators[1].balance.rawValue, state.preset.maxEffectiveStake.rawValue + 5)
        state.decreaseBalance(1, Stake(UInt64.max))
        XCTAssertEqual(state.validators[1].balance, .zero)
        state.decreaseBalance(1, 1)
        XCTAssertEqual(state.validators[1].balance, .zero)
    }

    func testAnExitJoinsTheLatestQueuedEpoch() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(16)
        let earliest = state.computeActivationExitEpoch(2)
        XCTAssertEqual(earliest, 7)
        // Validator 1 already exited in the past, validator 2 is queued well ahead.
        state.validators[1].exitEpoch = 1
        state.validators[2].exitEpoch = 20
        state.initiateValidatorExit(3)
        XCTAssertEqual(state.validators[3].exitEpoch, 20, "max(queued exit epochs, the earliest exit epoch)")
        XCTAssertEqual(state.validators[3].withdrawableEpoch, Epoch(20 + state.preset.minValidatorWithdrawabilityDelay))
        state.initiateValidatorExit(4)
        state.initiateValidatorExit(5)
        XCTAssertEqual(state.validators[5].exitEpoch, 20, "four exits fill epoch 20")
        state.initiateValidatorExit(6)
        XCTAssertEqual(state.validators[6].exitEpoch, 21)
        state.initiateValidatorExit(7)
        XCTAssertEqual(state.validators[7].exitEpoch, 21)
        // A second call changes nothing.
        state.initiateValidatorExit(3)
        XCTAssertEqual(state.validators[3].exitEpoch, 20)
        XCTAssertEqual(state.validators[1].exitEpoch, 1)
    }

    func testExitsQueuedBeforeTheEarliestEpochDoNotCountAgainstItsChurn() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(16)
        for index in 0..<4 { state.validators[index].exitEpoch = 6 }
        state.initiateValidatorExit(5)
        XCTAssertEqual(state.validators[5].exitEpoch, state.computeActivationExitEpoch(2))
    }
}
