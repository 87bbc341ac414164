@testable import KeelChain
import KeelCrypto
import KeelTestSupport
import XCTest

/// `processEffectiveBalanceUpdates` (phase0 `process_effective_balance_updates`): hysteresis keeps
/// small balance moves from changing effective stake; larger ones round down to an increment,
/// capped at the maximum.
final class ProcessEffectiveBalanceUpdatesTests: XCTestCase {
    private static let unit: UInt64 = 1_000_000_000

    /// The effective stake after one update, from `effective` with `balance`.
    private func updated(effective: UInt64, balance: UInt64) throws -> UInt64 {
        var state = try RuleFixture.genesis()
        state.validators[0].effectiveStake = Stake(effective)
        state.validators[0].balance = Stake(balance)
        state.processEffectiveBalanceUpdates()
        XCTAssertEqual(state.validators[1].effectiveStake, state.preset.maxEffectiveStake, "others unchanged")
        return state.validators[0].effectiveStake.rawValue
    }

    func testHysteresisThresholdsFollowThePreset() throws {
        let preset = Preset.devnet
        let hysteresisIncrement = preset.effectiveStakeIncrement.rawValue / preset.hysteresisQuotient
        let downward = hysteresisIncrement * preset.hysteresisDownwardMultiplier
        let upward = hysteresisIncrement * preset.hysteresisUpwardMultiplier
        XCTAssertEqual(downward, Self.unit / 4)
        XCTAssertEqual(upward, Self.unit * 5 / 4)
        let max = 32 * Self.unit
        // Down: a drop of exactly the threshold keeps the effective stake, one unit more moves it.
        XCTAssertEqual(try updated(effective: max, balance: max - downward), max)
        XCTAssertEqual(try updated(effective: max, balance: max - downward - 1), 31 * Self.unit)
        XCTAssertEqual(try updated(effective: max, balance: 20 * Self.unit + 7), 20 * Self.unit)
        // Up: a rise of exactly the threshold keeps it, one unit more moves it.
        let low = 30 * Self.unit
        XCTAssertEqual(try updated(effective: low, balance: low + upward), low)
        XCTAssertEqual(try updated(effective: low, balance: low + upward + 1), 31 * Self.unit)
        // Capped at the maximum, and a balance above the maximum does not move a full stake.
        XCTAssertEqual(try updated(effective: low, balance: 40 * Self.unit), max)
        XCTAssertEqual(try updated(effective: max, balance: 40 * Self.unit), max)
        XCTAssertEqual(try updated(effective: max, balance: 0), 0)
    }

    func testEpochProcessingAppliesItAtTheBoundary() throws {
        var state = try RuleFixture.genesis()
        try state.processSlots(7)
        state.validators[2].balance = Stake(31 * Self.unit + Self.unit * 4 / 5)
        state.validators[5].balance = Stake(31 * Self.unit + Self.unit / 2)
        try state.processSlots(8)
        XCTAssertEqual(state.validators[2].effectiveStake.rawValue, 32 * Self.unit, "a fifth of a unit down is within hysteresis")
        XCTAssertEqual(state.validators[5].effectiveStake.rawValue, 31 * Self.unit, "half a unit down is not")
    }
}
