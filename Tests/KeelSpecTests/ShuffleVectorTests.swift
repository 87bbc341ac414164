import KeelChain
import XCTest

/// phase0-shuffle.json: `compute_shuffled_index(i, count, seed)` for every `i < count`, from the
/// Ethereum phase0 executable spec.
final class ShuffleVectorTests: XCTestCase {
    struct Case: Decodable {
        let seed: String
        let count: UInt64
        let mapping: [UInt64]
    }

    static let fileName = "phase0-shuffle.json"
    /// The cases the file holds today; a changed file must be looked at, not silently accepted.
    static let expectedCaseCount = 9

    private func cases() throws -> [Case] {
        let vectors = try VectorFile<Case>.load(Self.fileName)
        XCTAssertEqual(vectors.cases.count, Self.expectedCaseCount)
        XCTAssertEqual(try rawCaseCount(Self.fileName), vectors.cases.count)
        return vectors.cases
    }

    func testEveryIndexOfEveryCaseMatchesComputeShuffledIndex() throws {
        var checked = 0
        for (number, vector) in try cases().enumerated() {
            let seed = try XCTUnwrap(Root(hex: vector.seed), "case \(number): bad seed")
            XCTAssertEqual(UInt64(vector.mapping.count), vector.count, "case \(number)")
            for index in 0..<vector.count {
                let shuffled = try computeShuffledIndex(index: index, indexCount: vector.count, seed: seed)
                XCTAssertEqual(shuffled, vector.mapping[Int(index)], "case \(number), index \(index)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 0)
    }

    func testEveryCaseMatchesTheWholeListShuffle() throws {
        for (number, vector) in try cases().enumerated() {
            let seed = try XCTUnwrap(Root(hex: vector.seed), "case \(number): bad seed")
            XCTAssertEqual(computeShuffledList(indexCount: vector.count, seed: seed), vector.mapping, "case \(number)")
        }
    }
}
