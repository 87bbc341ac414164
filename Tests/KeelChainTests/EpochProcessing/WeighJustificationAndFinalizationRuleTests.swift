import KeelChain
import KeelCrypto
import XCTest

/// Each of the four finalization rules of phase0 `weigh_justification_and_finalization`, and the
/// two-thirds threshold, on hand-built states.
///
/// These complement phase0-justification-finalization.json (KeelSpecTests), which never
/// finalizes by the first rule (from three epochs back).
final class WeighJustificationAndFinalizationRuleTests: XCTestCase {
    /// Distinct per-epoch roots, as the vector tests use.
    private enum Vectors {
        static func root(_ epoch: UInt64) -> Root { SHA256.hash(withUnsafeBytes(of: epoch.littleEndian, Array.init)) }
        static func checkpoint(_ epoch: UInt64) -> Checkpoint { Checkpoint(epoch: Epoch(epoch), root: root(epoch)) }
    }

    private func state(
        current: UInt64, bits: [Bool], previousJustified: UInt64, currentJustified: UInt64, finalized: UInt64 = 0
    ) -> JustificationAndFinalizationState {
        JustificationAndFinalizationState(
            currentEpoch: Epoch(current), justificationBits: bits,
            previousJustifiedCheckpoint: Vectors.checkpoint(previousJustified),
            currentJustifiedCheckpoint: Vectors.checkpoint(currentJustified),
            finalizedCheckpoint: Vectors.checkpoint(finalized),
            previousEpochBoundaryRoot: Vectors.root(current == 0 ? 0 : current - 1),
            currentEpochBoundaryRoot: Vectors.root(current))
    }

    /// Weighs with a total of 3 and the given target stakes (2 is exactly two thirds).
    private func weigh(_ state: JustificationAndFinalizationState, previous: UInt64, current: UInt64) throws
        -> JustificationAndFinalizationState
    {
        try weighJustificationAndFinalization(
            state, totalActiveBalance: 3, previousEpochTargetBalance: Stake(previous),
            currentEpochTargetBalance: Stake(current))
    }

    func testRule1FinalizesFromThreeEpochsBack() throws {
        // Epochs 9, 8, 7 justified; the old previous justified checkpoint is 7 = 10 - 3.
        let post = try weigh(state(current: 10, bits: [true, true, true, false], previousJustified: 7, currentJustified: 9),
                             previous: 0, current: 0)
        XCTAssertEqual(post.justificationBits, [false, true, true, true])
        XCTAssertEqual(post.finalizedCheckpoint, Vectors.checkpoint(7))
        XCTAssertEqual(post.previousJustifiedCheckpoint, Vectors.checkpoint(9))
        XCTAssertEqual(post.currentJustifiedCheckpoint, Vectors.checkpoint(9))
    }

    func testRule2FinalizesTheOldPreviousJustifiedFromTwoEpochsBack() throws {
        let post = try weigh(state(current: 10, bits: [true, true, false, false], previousJustified: 8, currentJustified: 9),
                             previous: 0, current: 0)
        XCTAssertEqual(post.justificationBits, [false, true, true, false])
        XCTAssertEqual(post.finalizedCheckpoint, Vectors.checkpoint(8))
    }

    func testRule3FinalizesTheOldCurrentJustifiedFromTwoEpochsBack() throws {
        let post = try weigh(state(current: 10, bits: [true, true, false, false], previousJustified: 7, currentJustified: 8),
                             previous: 0, current: 2)
        XCTAssertEqual(post.justificationBits, [true, true, true, false])
        XCTAssertEqual(post.currentJustifiedCheckpoint, Vectors.checkpoint(10))
        XCTAssertEqual(post.finalizedCheckpoint, Vectors.checkpoint(8))
    }

    func testRule4FinalizesTheOldCurrentJustifiedFromOneEpochBack() throws {
        let post = try weigh(state(current: 10, bits: [true, false, false, false], previousJustified: 8, currentJustified: 9),
                             previous: 0, current: 2)
        XCTAssertEqual(post.justificationBits, [true, true, false, false])
        XCTAssertEqual(post.finalizedCheckpoint, Vectors.checkpoint(9))
    }

    func testALaterRuleWins() throws {
        // Rules 2 (finalizing 8) and 4 (finalizing 9) both hold; the spec applies 4 last.
        let post = try weigh(state(current: 10, bits: [true, true, false, false], previousJustified: 8, currentJustified: 9),
                             previous: 0, current: 2)
        XCTAssertEqual(post.justificationBits, [true, true, true, false])
        XCTAssertEqual(post.finalizedCheckpoint, Vectors.checkpoint(9))
    }

    func testTwoThirdsIsEnoughAndLessIsNot() throws {
        let pre = state(current: 10, bits: [false, false, false, false], previousJustified: 5, currentJustified: 6, finalized: 5)
        let exactly = try weighJustificationAndFinalization(
            pre, totalActiveBalance: 3_000, previousEpochTargetBalance: 2_000, currentEpochTargetBalance: 1_999)
        XCTAssertEqual(exactly.justificationBits, [false, true, false, false])
        XCTAssertEqual(exactly.currentJustifiedCheckpoint, Vectors.checkpoint(9))
        XCTAssertEqual(exactly.previousJustifiedCheckpoint, Vectors.checkpoint(6))
        XCTAssertEqual(exactly.finalizedCheckpoint, Vectors.checkpoint(5))
        let both = try weighJustificationAndFinalization(
            pre, totalActiveBalance: 3_000, previousEpochTargetBalance: 2_000, currentEpochTargetBalance: 2_000)
        XCTAssertEqual(both.justificationBits, [true, true, false, false])
        XCTAssertEqual(both.currentJustifiedCheckpoint, Vectors.checkpoint(10), "the current epoch takes precedence")
    }

    func testAtGenesisThePreviousEpochIsGenesis() throws {
        let pre = state(current: 0, bits: [false, false, false, false], previousJustified: 0, currentJustified: 0)
        XCTAssertEqual(pre.previousEpoch, Constants.genesisEpoch)
        let post = try weigh(pre, previous: 3, current: 0)
        XCTAssertEqual(post.justificationBits, [false, true, false, false])
        XCTAssertEqual(post.currentJustifiedCheckpoint, Vectors.checkpoint(0))
    }

    func testAnOverflowingJustifiedEpochThrows() {
        // `old_previous_justified_checkpoint.epoch + 3` overflows a uint64 where the spec raises.
        let pre = state(current: 10, bits: [true, true, true, false], previousJustified: UInt64.max - 1, currentJustified: 9)
        XCTAssertThrowsError(try weigh(pre, previous: 0, current: 0)) { error in
            XCTAssertEqual(error as? ArithmeticError, .overflow)
        }
    }
}
