import KeelChain
import KeelTestSupport
import XCTest

/// `computeShuffledList` and `computeShuffledIndices`: the whole-list shuffle must equal the
/// per-index `computeShuffledIndex` exactly.
final class ComputeShuffledListTests: XCTestCase {
    private func perIndex(_ count: UInt64, _ seed: Root, rounds: UInt64 = 90) throws -> [UInt64] {
        try (0..<count).map { try computeShuffledIndex(index: $0, indexCount: count, seed: seed, shuffleRoundCount: rounds) }
    }

    func testEqualsPerIndexForManyCountsAndSeeds() throws {
        var generator = SplitMix64(seed: 0x4C49_5354)
        // Small counts, and counts around the 256-position hash blocks.
        let counts: [UInt64] = Array(0...40) + [63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 511, 512, 513, 777, 1_000]
        for count in counts {
            for _ in 0..<3 {
                let seed = randomSeed(&generator)
                XCTAssertEqual(computeShuffledList(indexCount: count, seed: seed), try perIndex(count, seed), "count \(count), seed \(seed)")
            }
        }
    }

    func testEqualsPerIndexForOtherRoundCounts() throws {
        var generator = SplitMix64(seed: 0x524F_554E)
        for rounds: UInt64 in [0, 1, 2, 10, 255, 256] {
            for count: UInt64 in [1, 2, 7, 300] {
                let seed = randomSeed(&generator)
                XCTAssertEqual(
                    computeShuffledList(indexCount: count, seed: seed, shuffleRoundCount: rounds),
                    try perIndex(count, seed, rounds: rounds), "rounds \(rounds), count \(count)")
            }
        }
    }

    func testTenThousandIsAPermutationAgreeingWithPerIndex() throws {
        let count: UInt64 = 10_000
        let seed = testSeed("ten-thousand", 0)
        let list = computeShuffledList(indexCount: count, seed: seed)
        XCTAssertEqual(list.sorted(), Array(0..<count))
        var generator = SplitMix64(seed: 10_000)
        for _ in 0..<100 {
            let index = generator.next() % count
            XCTAssertEqual(list[Int(index)], try computeShuffledIndex(index: index, indexCount: count, seed: seed), "index \(index)")
        }
    }

    func testShuffledIndicesLookUpThePermutation() {
        var generator = SplitMix64(seed: 0x4944_5853)
        var next: UInt64 = 0
        let indices = (0..<500).map { _ -> ValidatorIndex in
            next += 1 + generator.next() % 5
            return ValidatorIndex(next)
        }
        let seed = randomSeed(&generator)
        let permutation = computeShuffledList(indexCount: UInt64(indices.count), seed: seed)
        XCTAssertEqual(computeShuffledIndices(indices: indices, seed: seed), permutation.map { indices[Int($0)] })
        XCTAssertEqual(computeShuffledIndices(indices: [], seed: seed), [])
        XCTAssertEqual(computeShuffledIndices(indices: [ValidatorIndex(9)], seed: seed), [ValidatorIndex(9)])
    }
}
