import KeelChain
import KeelCrypto
import XCTest

/// phase0-justification-finalization.json: `weigh_justification_and_finalization` applied to
/// states of consecutive epochs, from the Ethereum phase0 executable spec.
///
/// The file leaves checkpoint roots out (each epoch's root is distinct), so every epoch `e` gets
/// the synthetic root `SHA256(uint64_le(e))`; a checkpoint at epoch `e` must then carry `root(e)`.
final class JustificationFinalizationVectorTests: XCTestCase {
    struct Checkpoints: Decodable, Equatable {
        let justificationBits: [Bool]
        let previousJustifiedEpoch: UInt64
        let currentJustifiedEpoch: UInt64
        let finalizedEpoch: UInt64
    }

    struct Pre: Decodable {
        let currentEpoch: UInt64
        let checkpoints: Checkpoints

        init(from decoder: Decoder) throws {
            currentEpoch = try decoder.container(keyedBy: CodingKeys.self).decode(UInt64.self, forKey: .currentEpoch)
            checkpoints = try Checkpoints(from: decoder)
        }

        enum CodingKeys: String, CodingKey { case currentEpoch }
    }

    struct Case: Decodable {
        let pre: Pre
        let totalActiveStake: UInt64
        let previousEpochTargetStake: UInt64
        let currentEpochTargetStake: UInt64
        let post: Checkpoints
    }

    static let fileName = "phase0-justification-finalization.json"
    /// The cases the file holds today; a changed file must be looked at, not silently accepted.
    static let expectedCaseCount = 480

    private func cases() throws -> [Case] {
        let path = Self.fileName
        let vectors = try VectorFile<Case>.loadSnakeCase(path)
        XCTAssertEqual(vectors.cases.count, Self.expectedCaseCount)
        XCTAssertEqual(try rawCaseCount(path), vectors.cases.count)
        return vectors.cases
    }

    /// The synthetic, distinct boundary root of `epoch`.
    static func root(_ epoch: UInt64) -> Root {
        SHA256.hash(withUnsafeBytes(of: epoch.littleEndian, Array.init))
    }

    static func checkpoint(_ epoch: UInt64) -> Checkpoint {
        Checkpoint(epoch: Epoch(epoch), root: root(epoch))
    }

    static func state(_ pre: Pre) -> JustificationAndFinalizationState {
        let previousEpoch = pre.currentEpoch == 0 ? 0 : pre.currentEpoch - 1
        return JustificationAndFinalizationState(
            currentEpoch: Epoch(pre.currentEpoch),
            justificationBits: pre.checkpoints.justificationBits,
            previousJustifiedCheckpoint: checkpoint(pre.checkpoints.previousJustifiedEpoch),
            currentJustifiedCheckpoint: checkpoint(pre.checkpoints.currentJustifiedEpoch),
            finalizedCheckpoint: checkpoint(pre.checkpoints.finalizedEpoch),
            previousEpochBoundaryRoot: root(previousEpoch),
            currentEpochBoundaryRoot: root(pre.currentEpoch))
    }

    func testEveryCaseMatchesThePostState() throws {
        var finalizationsByDistance: [UInt64: Int] = [:]
        for (number, vector) in try cases().enumerated() {
            let pre = Self.state(vector.pre)
            let post = try weighJustificationAndFinalization(
                pre, totalActiveBalance: Stake(vector.totalActiveStake),
                previousEpochTargetBalance: Stake(vector.previousEpochTargetStake),
                currentEpochTargetBalance: Stake(vector.currentEpochTargetStake))
            let expected = vector.post
            XCTAssertEqual(post.justificationBits, expected.justificationBits, "case \(number)")
            XCTAssertEqual(post.previousJustifiedCheckpoint.epoch, Epoch(expected.previousJustifiedEpoch), "case \(number)")
            XCTAssertEqual(post.currentJustifiedCheckpoint.epoch, Epoch(expected.currentJustifiedEpoch), "case \(number)")
            XCTAssertEqual(post.finalizedCheckpoint.epoch, Epoch(expected.finalizedEpoch), "case \(number)")
            for checkpoint in [post.previousJustifiedCheckpoint, post.currentJustifiedCheckpoint, post.finalizedCheckpoint] {
                XCTAssertEqual(checkpoint.root, Self.root(checkpoint.epoch.rawValue), "case \(number): root of \(checkpoint.epoch)")
            }
            XCTAssertEqual(post.currentEpoch, pre.currentEpoch, "case \(number)")
            XCTAssertEqual(post.previousEpochBoundaryRoot, pre.previousEpochBoundaryRoot, "case \(number)")
            XCTAssertEqual(post.currentEpochBoundaryRoot, pre.currentEpochBoundaryRoot, "case \(number)")
            if expected.finalizedEpoch != vector.pre.checkpoints.finalizedEpoch {
                finalizationsByDistance[vector.pre.currentEpoch - expected.finalizedEpoch, default: 0] += 1
            }
        }
        // The file finalizes from one and two epochs back, not only justifies. (It never
        // finalizes from three back, the first rule; WeighJustificationAndFinalizationRuleTests
        // covers each rule by hand.)
        XCTAssertGreaterThan(finalizationsByDistance[1, default: 0], 0, "\(finalizationsByDistance)")
        XCTAssertGreaterThan(finalizationsByDistance[2, default: 0], 0, "\(finalizationsByDistance)")
    }

    /// The cases form runs over consecutive epochs: each post state is the next case's pre state,
    /// which confirms the reading of the file (bit order, which checkpoints are which).
    func testConsecutiveCasesChain() throws {
        let all = try cases()
        var chained = 0
        for (number, (earlier, later)) in zip(all, all.dropFirst()).enumerated()
        where later.pre.currentEpoch == earlier.pre.currentEpoch + 1 {
            XCTAssertEqual(later.pre.checkpoints, earlier.post, "cases \(number) and \(number + 1)")
            let post = try weighJustificationAndFinalization(
                Self.state(earlier.pre), totalActiveBalance: Stake(earlier.totalActiveStake),
                previousEpochTargetBalance: Stake(earlier.previousEpochTargetStake),
                currentEpochTargetBalance: Stake(earlier.currentEpochTargetStake))
            var next = post
            next.currentEpoch = Epoch(later.pre.currentEpoch)
            next.previousEpochBoundaryRoot = Self.root(earlier.pre.currentEpoch)
            next.currentEpochBoundaryRoot = Self.root(later.pre.currentEpoch)
            XCTAssertEqual(next, Self.state(later.pre), "cases \(number) and \(number + 1)")
            chained += 1
        }
        XCTAssertGreaterThan(chained, 0)
    }

    /// Overflow in the spec's uint64 arithmetic raises there, so it throws here.
    func testOverflowingBalancesThrow() throws {
        let pre = Self.state(try XCTUnwrap(cases().first).pre)
        XCTAssertThrowsError(try weighJustificationAndFinalization(
            pre, totalActiveBalance: Stake(UInt64.max / 2 + 1), previousEpochTargetBalance: 0,
            currentEpochTargetBalance: 0))
        XCTAssertThrowsError(try weighJustificationAndFinalization(
            pre, totalActiveBalance: 3, previousEpochTargetBalance: Stake(UInt64.max / 3 + 1),
            currentEpochTargetBalance: 0))
    }
}
