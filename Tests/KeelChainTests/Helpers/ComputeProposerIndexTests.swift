import Foundation
import KeelChain
import KeelTestSupport
import XCTest

/// `computeProposerIndex` (phase0 `compute_proposer_index`); the reference values are in
/// KeelSpecTests (phase0-proposer.json).
final class ComputeProposerIndexTests: XCTestCase {
    private let maxStake = Preset.devnet.maxEffectiveStake

    private func propose(_ stakes: [Stake], _ seed: Root, indices: [ValidatorIndex]? = nil) throws -> ValidatorIndex {
        let indices = indices ?? (0..<UInt64(stakes.count)).map(ValidatorIndex.init)
        return try computeProposerIndex(
            indices: indices, effectiveStake: { stakes[Int($0.rawValue)] }, seed: seed, maxEffectiveStake: maxStake)
    }

    func testTheProposerIsAlwaysOneOfTheIndices() throws {
        var generator = SplitMix64(seed: 0x5052_4F50)
        for _ in 0..<300 {
            let registrySize = 1 + Int(generator.next() % 40)
            let stakes = (0..<registrySize).map { _ in Stake((generator.next() % 33) * 1_000_000_000) }
            let indices = (0..<UInt64(registrySize)).filter { _ in generator.next() % 3 != 0 }.map(ValidatorIndex.init)
            guard !indices.isEmpty else { continue }
            let seed = randomSeed(&generator)
            let proposer = try propose(stakes, seed, indices: indices)
            XCTAssertTrue(indices.contains(proposer), "\(proposer) not in \(indices), seed \(seed)")
        }
    }

    func testEmptyIndicesThrow() {
        XCTAssertThrowsError(try propose([32], testSeed("empty", 0), indices: [])) { error in
            XCTAssertEqual(error as? ComputeProposerIndexError, .indicesEmpty)
        }
    }

    /// Acceptance is `stake * 255 >= max * byte`: a full stake always passes, half a stake passes
    /// for bytes 0 ... 127, exactly half of them. So over many seeds a validator with twice the
    /// stake of another is chosen about twice as often.
    ///
    /// Only about: candidates are drawn in a cycle through one shuffled order, so in a small set
    /// the validators early in the order are favoured (with stakes 32, 16, 16, 16 the first is
    /// chosen 2.67 times as often as each other, by the spec itself). With 64 validators, half
    /// at full and half at half stake, the per-validator ratio is 2.03 (simulated); 4,000 draws
    /// put it within about ±0.1 of that.
    func testDoubleStakeIsChosenAboutTwiceAsOften() throws {
        let stakes = (0..<64).map { $0 % 2 == 0 ? maxStake : Stake(maxStake.rawValue / 2) }
        var fullStakeCount = 0
        var halfStakeCount = 0
        let draws: UInt64 = 4_000
        for number in 0..<draws {
            let proposer = try propose(stakes, testSeed("ratio", number))
            if proposer.rawValue % 2 == 0 { fullStakeCount += 1 } else { halfStakeCount += 1 }
        }
        XCTAssertEqual(fullStakeCount + halfStakeCount, Int(draws))
        let ratio = Double(fullStakeCount) / Double(halfStakeCount)
        XCTAssertGreaterThan(ratio, 1.7, "\(fullStakeCount) against \(halfStakeCount)")
        XCTAssertLessThan(ratio, 2.4, "\(fullStakeCount) against \(halfStakeCount)")
    }

    /// With every stake zero the spec's loop still ends, at the first random byte of 0.
    func testZeroStakesStillChooseAProposer() throws {
        for number in UInt64(0)..<3 {
            let proposer = try propose([0, 0, 0, 0, 0], testSeed("zero", number))
            XCTAssertLessThan(proposer.rawValue, 5)
        }
    }

    func testOnlyTheRatioOfStakeToMaximumMatters() throws {
        var generator = SplitMix64(seed: 0x5343_414C)
        for _ in 0..<100 {
            let units = (0..<(1 + generator.next() % 12)).map { _ in 1 + generator.next() % 32 }
            let seed = randomSeed(&generator)
            let indices = (0..<UInt64(units.count)).map(ValidatorIndex.init)
            let inUnits = try computeProposerIndex(
                indices: indices, effectiveStake: { Stake(units[Int($0.rawValue)]) }, seed: seed, maxEffectiveStake: 32)
            let inBaseUnits = try computeProposerIndex(
                indices: indices, effectiveStake: { Stake(units[Int($0.rawValue)] * 1_000_000_000) }, seed: seed,
                maxEffectiveStake: Stake(32_000_000_000))
            XCTAssertEqual(inUnits, inBaseUnits, "stakes \(units), seed \(seed)")
        }
    }

    func testOverflowingStakeThrows() {
        XCTAssertThrowsError(try computeProposerIndex(
            indices: [0], effectiveStake: { _ in Stake(UInt64.max) }, seed: testSeed("overflow", 0),
            maxEffectiveStake: maxStake)
        ) { error in
            XCTAssertEqual(error as? ComputeProposerIndexError, .arithmetic(.overflow))
        }
    }

    func testTheLoopBoundIsFarBeyondAnyRealisticDraw() {
        // (255/256)^bound must be negligible: ln(255/256) * 2^16 < -256.
        XCTAssertLessThan(Double(Constants.proposerCandidateCountMax) * log(255.0 / 256.0), -256)
    }
}
