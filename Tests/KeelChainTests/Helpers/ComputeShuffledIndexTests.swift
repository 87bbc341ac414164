import KeelChain
import KeelTestSupport
import XCTest

/// `computeShuffledIndex` (phase0 `compute_shuffled_index`); the reference values are in
/// KeelSpecTests (phase0-shuffle.json).
final class ComputeShuffledIndexTests: XCTestCase {
    func testEveryCountUpTo300IsAPermutation() throws {
        var generator = SplitMix64(seed: 0x5348_5546)
        for count in UInt64(1)...300 {
            let seed = randomSeed(&generator)
            var seen = [Bool](repeating: false, count: Int(count))
            for index in 0..<count {
                let shuffled = try computeShuffledIndex(index: index, indexCount: count, seed: seed)
                XCTAssertLessThan(shuffled, count, "count \(count), seed \(seed)")
                guard shuffled < count else { continue }
                XCTAssertFalse(seen[Int(shuffled)], "count \(count), seed \(seed): \(shuffled) hit twice")
                seen[Int(shuffled)] = true
            }
            XCTAssertTrue(seen.allSatisfy { $0 }, "count \(count), seed \(seed)")
        }
    }

    func testIndexNotBelowCountThrows() {
        let seed = testSeed("throws", 0)
        for (index, count) in [(UInt64(0), UInt64(0)), (5, 5), (6, 5), (UInt64.max, 5), (UInt64.max, UInt64.max)] {
            XCTAssertThrowsError(try computeShuffledIndex(index: index, indexCount: count, seed: seed)) { error in
                XCTAssertEqual(error as? ComputeShuffledIndexError, .indexNotBelowIndexCount(index: index, indexCount: count))
            }
        }
    }

    func testCountsBeyondTheUInt32BlockNumberThrow() {
        let seed = testSeed("throws", 1)
        let count = Constants.shuffleIndexCountMax + 1
        XCTAssertThrowsError(try computeShuffledIndex(index: 0, indexCount: count, seed: seed)) { error in
            XCTAssertEqual(
                error as? ComputeShuffledIndexError,
                .indexCountAboveMax(indexCount: count, indexCountMax: Constants.shuffleIndexCountMax))
        }
        // The largest accepted count still shuffles (hashing block numbers up to 2^32 - 1).
        XCTAssertNoThrow(try computeShuffledIndex(
            index: Constants.shuffleIndexCountMax - 1, indexCount: Constants.shuffleIndexCountMax, seed: seed))
    }

    func testLimitsMatchTheSpecIntegerWidths() {
        XCTAssertEqual(Constants.shuffleIndexCountMax, UInt64(UInt32.max) * 256 + 256, "uint32(position // 256)")
        XCTAssertEqual(Constants.shuffleRoundCountMax, UInt64(UInt8.max) + 1, "uint8(current_round)")
        XCTAssertLessThanOrEqual(Preset.devnet.shuffleRoundCount, Constants.shuffleRoundCountMax)
        XCTAssertEqual(Preset.devnet.shuffleRoundCount, 90, "phase0 SHUFFLE_ROUND_COUNT")
    }

    func testZeroRoundsIsTheIdentity() throws {
        let seed = testSeed("rounds", 0)
        for index in UInt64(0)..<20 {
            XCTAssertEqual(try computeShuffledIndex(index: index, indexCount: 20, seed: seed, shuffleRoundCount: 0), index)
        }
    }

    func testDifferentSeedsGiveDifferentShuffles() throws {
        let first = try (UInt64(0)..<64).map { try computeShuffledIndex(index: $0, indexCount: 64, seed: testSeed("seed", 1)) }
        let second = try (UInt64(0)..<64).map { try computeShuffledIndex(index: $0, indexCount: 64, seed: testSeed("seed", 2)) }
        XCTAssertNotEqual(first, second)
        XCTAssertNotEqual(first, Array(0..<64), "90 rounds move something in a list of 64")
    }
}
