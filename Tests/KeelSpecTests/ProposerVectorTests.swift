import KeelChain
import XCTest

/// phase0-proposer.json: `compute_proposer_index(state, indices = 0 ..< n, seed)` with the given
/// effective stakes, from the Ethereum phase0 executable spec.
final class ProposerVectorTests: XCTestCase {
    struct Case: Decodable {
        let seed: String
        let stakes: [UInt64]
        let maxStake: UInt64
        let index: UInt64

        enum CodingKeys: String, CodingKey {
            case seed, stakes, index
            case maxStake = "max_stake"
        }
    }

    static let fileName = "phase0-proposer.json"
    /// The cases the file holds today; a changed file must be looked at, not silently accepted.
    static let expectedCaseCount = 30

    private func cases() throws -> [Case] {
        let vectors = try VectorFile<Case>.load(Self.fileName)
        XCTAssertEqual(vectors.cases.count, Self.expectedCaseCount)
        XCTAssertEqual(try rawCaseCount(Self.fileName), vectors.cases.count)
        return vectors.cases
    }

    /// Runs every case with stakes and maximum multiplied by `scale`: the vectors' stakes are
    /// whole units (the spec saw them times 10^9 Gwei), and only the ratio may matter.
    private func checkEveryCase(scale: UInt64) throws {
        let vectors = try cases()
        for (number, vector) in vectors.enumerated() {
            let seed = try XCTUnwrap(Root(hex: vector.seed), "case \(number): bad seed")
            let stakes = vector.stakes.map { Stake($0 * scale) }
            let indices = (0..<UInt64(stakes.count)).map(ValidatorIndex.init)
            let proposer = try computeProposerIndex(
                indices: indices, effectiveStake: { stakes[Int($0.rawValue)] }, seed: seed,
                maxEffectiveStake: Stake(vector.maxStake * scale))
            XCTAssertEqual(proposer, ValidatorIndex(vector.index), "case \(number), scale \(scale)")
        }
    }

    func testEveryCaseInWholeUnits() throws {
        try checkEveryCase(scale: 1)
    }

    func testEveryCaseInBaseUnits() throws {
        try checkEveryCase(scale: 1_000_000_000)
    }

    /// The vectors select among indices `0 ..< n`; selecting among other index values gives the
    /// same positions, because the function only ever indexes into `indices`.
    func testIndicesAreLookedUpNotAssumed() throws {
        for (number, vector) in try cases().enumerated() {
            let seed = try XCTUnwrap(Root(hex: vector.seed))
            let indices = (0..<UInt64(vector.stakes.count)).map { ValidatorIndex(1_000 + 7 * $0) }
            let proposer = try computeProposerIndex(
                indices: indices, effectiveStake: { Stake(vector.stakes[Int(($0.rawValue - 1_000) / 7)]) },
                seed: seed, maxEffectiveStake: Stake(vector.maxStake))
            XCTAssertEqual(proposer, ValidatorIndex(1_000 + 7 * vector.index), "case \(number)")
        }
    }
}
