import KeelChain
import KeelTestSupport
import XCTest

/// `computeCommittee` (phase0 `compute_committee`), per index and from a precomputed shuffling.
final class ComputeCommitteeTests: XCTestCase {
    private func activeIndices(_ count: Int, _ generator: inout SplitMix64) -> [ValidatorIndex] {
        var next: UInt64 = 0
        return (0..<count).map { _ in
            next += 1 + generator.next() % 4
            return ValidatorIndex(next)
        }
    }

    func testTheCommitteesOfAnEpochPartitionTheShuffledActiveSet() throws {
        var generator = SplitMix64(seed: 0x434F_4D4D)
        for activeCount in [0, 1, 7, 64, 100, 257] {
            let indices = activeIndices(activeCount, &generator)
            let seed = randomSeed(&generator)
            let shuffled = computeShuffledIndices(indices: indices, seed: seed)
            for count: UInt64 in [1, 2, 3, 8, 16, 150] {
                var all: [ValidatorIndex] = []
                var sizes: [Int] = []
                for index in 0..<count {
                    let committee = try computeCommittee(shuffledIndices: shuffled, index: index, count: count)
                    XCTAssertEqual(try computeCommittee(indices: indices, seed: seed, index: index, count: count), committee,
                                   "active \(activeCount), committee \(index) of \(count)")
                    all += committee
                    sizes.append(committee.count)
                }
                XCTAssertEqual(all, shuffled, "active \(activeCount), \(count) committees")
                XCTAssertEqual(Set(all).count, all.count, "committees are disjoint")
                XCTAssertEqual(Set(all), Set(indices), "every active validator is in one committee")
                XCTAssertLessThanOrEqual((sizes.max() ?? 0) - (sizes.min() ?? 0), 1, "sizes \(sizes)")
            }
        }
    }

    func testTenThousandValidatorsInEightCommittees() throws {
        var generator = SplitMix64(seed: 10_000)
        let indices = activeIndices(10_000, &generator)
        let seed = testSeed("epoch", 7)
        let shuffled = computeShuffledIndices(indices: indices, seed: seed)
        let committees = try (UInt64(0)..<8).map { try computeCommittee(shuffledIndices: shuffled, index: $0, count: 8) }
        XCTAssertEqual(committees.map(\.count), Array(repeating: 1_250, count: 8))
        XCTAssertEqual(Set(committees.joined()), Set(indices))
        // Spot-check one committee against the per-index definition.
        XCTAssertEqual(try computeCommittee(indices: indices, seed: seed, index: 5, count: 8), committees[5])
    }

    func testZeroCommitteesThrow() throws {
        let indices: [ValidatorIndex] = [1, 2, 3]
        XCTAssertThrowsError(try computeCommittee(indices: indices, seed: testSeed("c", 0), index: 0, count: 0)) { error in
            XCTAssertEqual(error as? ComputeCommitteeError, .arithmetic(.divisionByZero))
        }
        XCTAssertThrowsError(try computeCommittee(shuffledIndices: indices, index: 0, count: 0)) { error in
            XCTAssertEqual(error as? ComputeCommitteeError, .arithmetic(.divisionByZero))
        }
    }

    /// An index past the last committee reaches past the list, where the spec's
    /// `compute_shuffled_index` asserts; both variants report the same first bad index.
    func testACommitteePastTheListThrowsLikeTheSpec() throws {
        let indices: [ValidatorIndex] = [10, 11, 12, 13]
        let seed = testSeed("c", 1)
        let shuffled = computeShuffledIndices(indices: indices, seed: seed)
        for (index, count, first) in [(UInt64(2), UInt64(2), UInt64(4)), (5, 2, 10), (4, 4, 4)] {
            let expected = ComputeCommitteeError.shuffle(.indexNotBelowIndexCount(index: first, indexCount: 4))
            XCTAssertThrowsError(try computeCommittee(indices: indices, seed: seed, index: index, count: count)) { error in
                XCTAssertEqual(error as? ComputeCommitteeError, expected, "committee \(index) of \(count)")
            }
            XCTAssertThrowsError(try computeCommittee(shuffledIndices: shuffled, index: index, count: count)) { error in
                XCTAssertEqual(error as? ComputeCommitteeError, expected, "committee \(index) of \(count)")
            }
        }
    }

    /// Where the out-of-range committee's slice is empty the spec loops over nothing and returns
    /// an empty committee, and so does Keel.
    func testAnEmptySlicePastTheListIsAnEmptyCommittee() throws {
        let seed = testSeed("c", 2)
        XCTAssertEqual(try computeCommittee(indices: [7], seed: seed, index: 3, count: 3), [])
        XCTAssertEqual(try computeCommittee(shuffledIndices: [7], index: 3, count: 3), [])
        XCTAssertEqual(try computeCommittee(indices: [], seed: seed, index: 9, count: 2), [])
    }

    func testOverflowingBoundsThrow() {
        XCTAssertThrowsError(try computeCommittee(shuffledIndices: [1], index: UInt64.max, count: 2)) { error in
            XCTAssertEqual(error as? ComputeCommitteeError, .arithmetic(.overflow))
        }
        XCTAssertThrowsError(try computeCommittee(shuffledIndices: [1, 2], index: UInt64.max / 2 + 1, count: UInt64.max)) { error in
            XCTAssertEqual(error as? ComputeCommitteeError, .arithmetic(.overflow))
        }
    }
}
