@testable import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `processRegistryUpdates` (phase0 `process_registry_updates`): the activation queue, its churn
/// limit and order, and ejection at the ejection balance.
final class ProcessRegistryUpdatesTests: XCTestCase {
    private static let unit: UInt64 = 1_000_000_000

    private func pending(_ key: UInt64, effective: UInt64, eligibility: Epoch) -> Validator {
        Validator(
            publicKey: RuleFixture.secretKey(key).publicKey, withdrawalAddress: RuleFixture.address(key),
            balance: Stake(effective), effectiveStake: Stake(effective), activationEligibilityEpoch: eligibility,
            activationEpoch: Constants.farFutureEpoch, randaoCommitment: RuleFixture.root(key))
    }

    func testFullStakeValidatorsJoinTheQueueAndOthersDoNot() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(16)
        state.validators.append(pending(100, effective: 32 * Self.unit, eligibility: Constants.farFutureEpoch))
        state.validators.append(pending(101, effective: 31 * Self.unit, eligibility: Constants.farFutureEpoch))
        state.processRegistryUpdates()
        XCTAssertEqual(state.validators[8].activationEligibilityEpoch, 3, "current epoch + 1")
        XCTAssertEqual(state.validators[9].activationEligibilityEpoch, Constants.farFutureEpoch)
        XCTAssertEqual(state.validators[8].activationEpoch, Constants.farFutureEpoch, "not finalized yet")
    }

    func testTheQueueActivatesUpToTheChurnLimitInEligibilityOrder() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(24)
        state.finalizedCheckpoint = Checkpoint(epoch: 2, root: RuleFixture.root(1))
        let eligibility: [UInt64] = [2, 1, 1, 0, 2, 3]
        for (offset, epoch) in eligibility.enumerated() {
            state.validators.append(pending(100 + UInt64(offset), effective: 32 * Self.unit, eligibility: Epoch(epoch)))
        }
        let churn = state.getValidatorChurnLimit()
        XCTAssertEqual(churn, 4)
        state.processRegistryUpdates()
        let activation = Epoch(3 + 1 + state.preset.maxSeedLookahead)
        // Sorted by (eligibility, index): 11 (0), 9 (1), 10 (1), 8 (2) | 12 (2) waits, 13 (3) is not finalized.
        let activated = (8..<14).filter { state.validators[$0].activationEpoch == activation }
        XCTAssertEqual(activated, [8, 9, 10, 11])
        XCTAssertEqual(state.validators[12].activationEpoch, Constants.farFutureEpoch, "beyond the churn limit")
        XCTAssertEqual(state.validators[13].activationEpoch, Constants.farFutureEpoch, "eligible after the finalized epoch")
        state.processRegistryUpdates()
        XCTAssertEqual(state.validators[12].activationEpoch, activation, "next in the queue")
        XCTAssertEqual(state.validators[13].activationEpoch, Constants.farFutureEpoch)
    }

    func testAValidatorIsEjectedOnceItsEffectiveStakeFallsToTheEjectionBalance() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(7)
        let ejection = state.preset.ejectionBalance.rawValue
        state.validators[3].balance = Stake(ejection + Self.unit / 5)
        state.validators[4].balance = Stake(ejection + Self.unit + Self.unit / 5)
        // End of epoch 0: the effective stakes drop, after registry updates ran.
        try state.processSlots(8)
        XCTAssertEqual(state.validators[3].effectiveStake.rawValue, ejection)
        XCTAssertEqual(state.validators[4].effectiveStake.rawValue, ejection + Self.unit)
        XCTAssertEqual(state.validators[3].exitEpoch, Constants.farFutureEpoch)
        // End of epoch 1: at the ejection balance, ejected; one increment above, kept.
        try state.processSlots(16)
        XCTAssertEqual(state.validators[3].exitEpoch, Epoch(1 + 1 + state.preset.maxSeedLookahead))
        XCTAssertEqual(
            state.validators[3].withdrawableEpoch,
            Epoch(1 + 1 + state.preset.maxSeedLookahead + state.preset.minValidatorWithdrawabilityDelay))
        XCTAssertFalse(state.validators[3].slashed)
        XCTAssertEqual(state.validators[4].exitEpoch, Constants.farFutureEpoch)
    }
}
