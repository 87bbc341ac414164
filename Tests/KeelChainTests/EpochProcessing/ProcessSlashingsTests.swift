@testable import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `processSlashings` (phase0 `process_slashings`): halfway to withdrawability a slashed validator
/// pays in proportion to everything slashed in the vector, times the multiplier, capped by the
/// total active balance.
final class ProcessSlashingsTests: XCTestCase {
    private static let unit: UInt64 = 1_000_000_000

    /// A state in epoch 2 with validator 3 slashed and due for its proportional penalty now.
    private func state(slashed totalSlashed: [UInt64]) throws -> ChainState {
        var state = try RuleFixture.genesis()
        try state.processSlots(16)
        let halfway = state.getCurrentEpoch().rawValue + state.preset.epochsPerSlashingsVector / 2
        state.validators[3].slashed = true
        state.validators[3].exitEpoch = 7
        state.validators[3].withdrawableEpoch = Epoch(halfway)
        state.validators[3].balance = Stake(31 * Self.unit)
        // Slashed, but not at its halfway epoch.
        state.validators[4].slashed = true
        state.validators[4].exitEpoch = 7
        state.validators[4].withdrawableEpoch = Epoch(halfway + 1)
        for (slot, amount) in totalSlashed.enumerated() { state.slashings[slot * 5] = Stake(amount) }
        return state
    }

    /// phase0's penalty, from its formula.
    private func phase0Penalty(effective: UInt64, slashed: UInt64, total: UInt64, _ preset: Preset) -> UInt64 {
        let increment = preset.effectiveStakeIncrement.rawValue
        let adjusted = min(slashed * preset.proportionalSlashingMultiplier, total)
        return effective / increment * adjusted / total * increment
    }

    func testThePenaltyIsProportionalToTheSlashedStake() throws {
        var state = try state(slashed: [32 * Self.unit, 32 * Self.unit])
        let before = state.validators.map(\.balance.rawValue)
        state.processSlashings()
        let total = 8 * 32 * Self.unit
        let penalty = phase0Penalty(effective: 32 * Self.unit, slashed: 64 * Self.unit, total: total, state.preset)
        XCTAssertEqual(penalty, 24 * Self.unit, "3 · 64 of 256 units slashed: three quarters of the stake")
        XCTAssertEqual(state.validators[3].balance.rawValue, before[3] - penalty)
        for index in 0..<8 where index != 3 {
            XCTAssertEqual(state.validators[index].balance.rawValue, before[index], "validator \(index)")
        }
    }

    func testThePenaltyIsCappedAtTheWholeStakeAndRoundsToIncrements() throws {
        var heavy = try state(slashed: [64 * Self.unit, 64 * Self.unit])
        heavy.processSlashings()
        XCTAssertEqual(heavy.validators[3].balance, .zero, "min(slashed · 3, total) = total: the whole 32 units")
        var light = try state(slashed: [Self.unit])
        light.processSlashings()
        let penalty = phase0Penalty(effective: 32 * Self.unit, slashed: Self.unit, total: 256 * Self.unit, light.preset)
        XCTAssertEqual(penalty, 0, "32 · 3 / 256 rounds down to no whole increment")
        XCTAssertEqual(light.validators[3].balance.rawValue, 31 * Self.unit)
    }

    func testEpochProcessingAppliesItAndResetsTheNextSlot() throws {
        var state = try state(slashed: [32 * Self.unit, 32 * Self.unit])
        try state.processSlots(23)
        state.slashings[3] = Stake(5 * Self.unit)
        let before = state.validators[3].balance.rawValue
        try state.processSlots(24)
        // 3 · 69 of 256 units slashed: 32 · 207 / 256 = 25 whole increments, plus the small
        // penalties of a non-attester (a slashed validator stays eligible), which run first.
        let paid = before - state.validators[3].balance.rawValue
        XCTAssertGreaterThan(paid, 25 * Self.unit)
        XCTAssertLessThan(paid, 25 * Self.unit + Self.unit / 100)
        XCTAssertEqual(state.slashings[3], .zero, "process_slashings_reset clears the next epoch's slot")
        XCTAssertEqual(state.slashings[0].rawValue, 32 * Self.unit)
    }
}
