import KeelChain
import KeelCrypto
import XCTest

/// `isSlashableAttestationData` (phase0 `is_slashable_attestation_data`): double and surround
/// votes, and the near misses that are not slashable.
final class IsSlashableAttestationDataTests: XCTestCase {
    private func root(_ label: String, _ number: UInt64) -> Root {
        SHA256.hash(Array(label.utf8) + withUnsafeBytes(of: number.littleEndian, Array.init))
    }

    private func data(source: UInt64, target: UInt64, head: UInt64 = 0, slot: UInt64? = nil) -> AttestationData {
        AttestationData(
            slot: Slot(slot ?? target * 8), beaconBlockRoot: root("head", head),
            source: Checkpoint(epoch: Epoch(source), root: root("epoch", source)),
            target: Checkpoint(epoch: Epoch(target), root: root("epoch", target)))
    }

    func testIdenticalDataIsNotSlashable() {
        let vote = data(source: 3, target: 4)
        XCTAssertFalse(isSlashableAttestationData(vote, vote))
        XCTAssertFalse(isDoubleVote(vote, vote))
        XCTAssertFalse(isSurroundVote(vote, vote))
    }

    func testDoubleVotesAreSlashableInEitherOrder() {
        let vote = data(source: 3, target: 4)
        var otherHead = vote
        otherHead.beaconBlockRoot = root("head", 1)
        var otherSlot = vote
        otherSlot.slot = Slot(vote.slot.rawValue + 1)
        var otherTargetRoot = vote
        otherTargetRoot.target.root = root("fork", 4)
        let otherSource = data(source: 2, target: 4)
        for other in [otherHead, otherSlot, otherTargetRoot, otherSource] {
            XCTAssertTrue(isSlashableAttestationData(vote, other), "\(other)")
            XCTAssertTrue(isSlashableAttestationData(other, vote), "\(other)")
            XCTAssertTrue(isDoubleVote(vote, other))
        }
    }

    /// The spec's check is ordered: `data1` must surround `data2`.
    func testSurroundVotesAreSlashableWhenTheFirstSurroundsTheSecond() {
        let outer = data(source: 1, target: 5)
        for inner in [data(source: 2, target: 4), data(source: 2, target: 3), data(source: 4, target: 4, head: 9)] {
            XCTAssertTrue(isSurroundVote(outer, inner), "\(inner)")
            XCTAssertTrue(isSlashableAttestationData(outer, inner), "\(inner)")
            XCTAssertFalse(isSurroundVote(inner, outer), "\(inner)")
            XCTAssertFalse(isSlashableAttestationData(inner, outer), "surrounded first is not slashable in this order")
        }
    }

    func testNearMissesAreNotSlashable() {
        let pairs: [(AttestationData, AttestationData, String)] = [
            (data(source: 1, target: 2), data(source: 2, target: 3), "consecutive links"),
            (data(source: 1, target: 4), data(source: 1, target: 3), "same source, nested target"),
            (data(source: 1, target: 4), data(source: 2, target: 5), "overlapping spans"),
            (data(source: 1, target: 3), data(source: 3, target: 5), "touching spans"),
            (data(source: 0, target: 9), data(source: 0, target: 2, head: 4), "same source, not strictly inside"),
        ]
        for (first, second, label) in pairs {
            XCTAssertFalse(isSlashableAttestationData(first, second), label)
            XCTAssertFalse(isSlashableAttestationData(second, first), label)
        }
    }

    func testSameTargetEpochIsADoubleVoteEvenWhenTheSpanWouldNest() {
        // Same target epoch: not a surround (targets not strictly ordered), but a double vote.
        let first = data(source: 1, target: 5)
        let second = data(source: 3, target: 5)
        XCTAssertFalse(isSurroundVote(first, second))
        XCTAssertTrue(isDoubleVote(first, second))
        XCTAssertTrue(isSlashableAttestationData(first, second))
    }
}
