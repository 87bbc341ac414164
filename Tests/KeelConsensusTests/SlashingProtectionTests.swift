import KeelChain
import KeelConsensus
import KeelCrypto
import XCTest

/// Table-driven EIP-3076 cases (after the interchange test suite's scenarios): each step is
/// checked, then recorded if allowed, in order, on one validator's history.
final class SlashingProtectionTests: XCTestCase {
    private static func root(_ name: String) -> Root { SHA256.hash(Array(name.utf8)) }

    private enum Step {
        case block(slot: UInt64, root: String, expect: SlashingProtectionDecision)
        case attestation(source: UInt64, target: UInt64, root: String, expect: SlashingProtectionDecision)
    }

    private func run(_ name: String, from history: SlashingProtectionHistory = SlashingProtectionHistory(), _ steps: [Step]) {
        var history = history
        for (number, step) in steps.enumerated() {
            switch step {
            case let .block(slot, root, expect):
                XCTAssertEqual(history.checkBlock(slot: Slot(slot), signingRoot: Self.root(root)), expect, "\(name) step \(number)")
                XCTAssertEqual(history.recordBlock(slot: Slot(slot), signingRoot: Self.root(root)), expect, "\(name) step \(number)")
            case let .attestation(source, target, root, expect):
                let decision = history.checkAttestation(source: Epoch(source), target: Epoch(target), signingRoot: Self.root(root))
                XCTAssertEqual(decision, expect, "\(name) step \(number)")
                history.recordAttestation(source: Epoch(source), target: Epoch(target), signingRoot: Self.root(root))
            }
        }
    }

    /// Types a literal list of steps in one place (long mixed literals overwhelm the type checker).
    private func steps(_ list: [Step]) -> [Step] { list }

    private static func record(_ source: UInt64, _ target: UInt64, _ root: String) -> SignedAttestationRecord {
        SignedAttestationRecord(sourceEpoch: Epoch(source), targetEpoch: Epoch(target), signingRoot: Self.root(root))
    }

    func testBlocks() {
        run("single block, re-sign, double, older, newer", steps([
            .block(slot: 10, root: "A", expect: .allowed),
            .block(slot: 10, root: "A", expect: .alreadySigned),
            .block(slot: 10, root: "B", expect: .refused(.doubleBlockProposal(slot: 10))),
            .block(slot: 9, root: "C", expect: .refused(.blockSlotNotAfterLatest(slot: 9, latest: 10))),
            .block(slot: 11, root: "D", expect: .allowed),
            .block(slot: 10, root: "A", expect: .alreadySigned),
            .block(slot: 10, root: "E", expect: .refused(.doubleBlockProposal(slot: 10))),
            .block(slot: 0, root: "F", expect: .refused(.blockSlotNotAfterLatest(slot: 0, latest: 11))),
        ]))
        run("genesis slot", steps([.block(slot: 0, root: "G", expect: .allowed), .block(slot: 1, root: "H", expect: .allowed)]))
        // Imported without signing roots: no re-sign is recognised.
        let imported = SlashingProtectionHistory(blocks: [SignedBlockRecord(slot: 5, signingRoot: nil)])
        run("imported without root", from: imported, steps([
            .block(slot: 5, root: "A", expect: .refused(.doubleBlockProposal(slot: 5))),
            .block(slot: 4, root: "B", expect: .refused(.blockSlotNotAfterLatest(slot: 4, latest: 5))),
            .block(slot: 6, root: "C", expect: .allowed),
        ]))
    }

    func testAttestations() {
        run("double vote, re-sign, surround, surrounded", steps([
            .attestation(source: 0, target: 0, root: "genesis", expect: .allowed),
            .attestation(source: 0, target: 1, root: "A", expect: .allowed),
            .attestation(source: 0, target: 1, root: "A", expect: .alreadySigned),
            .attestation(source: 0, target: 1, root: "B", expect: .refused(.doubleVote(previous: Self.record(0, 1, "A")))),
            .attestation(source: 1, target: 2, root: "C", expect: .allowed),
            .attestation(source: 2, target: 5, root: "D", expect: .allowed),
            .attestation(source: 3, target: 4, root: "E", expect: .refused(.surroundedByPrevious(Self.record(2, 5, "D")))),
            .attestation(source: 1, target: 6, root: "F", expect: .refused(.surroundsPrevious(Self.record(2, 5, "D")))),
            .attestation(source: 2, target: 6, root: "G", expect: .allowed),
            .attestation(source: 5, target: 7, root: "H", expect: .allowed),
            .attestation(source: 2, target: 5, root: "D", expect: .alreadySigned),
        ]))
        run("source after target", steps([
            .attestation(source: 3, target: 2, root: "A", expect: .refused(.sourceAfterTarget(source: 3, target: 2))),
        ]))
        // EIP-3076 low watermarks from an imported history.
        let imported = SlashingProtectionHistory(attestations: [Self.record(5, 10, "A")])
        run("low watermarks", from: imported, steps([
            .attestation(source: 4, target: 9, root: "B", expect: .refused(.sourceBelowMinimum(source: 4, minimum: 5))),
            .attestation(source: 5, target: 9, root: "C", expect: .refused(.targetNotAboveMinimum(target: 9, minimum: 10))),
            .attestation(source: 4, target: 11, root: "D", expect: .refused(.surroundsPrevious(Self.record(5, 10, "A")))),
            .attestation(source: 5, target: 11, root: "E", expect: .allowed),
            .attestation(source: 10, target: 12, root: "F", expect: .allowed),
        ]))
        let withoutRoot = SlashingProtectionHistory(
            attestations: [SignedAttestationRecord(sourceEpoch: 1, targetEpoch: 2, signingRoot: nil)])
        run("imported without root", from: withoutRoot, steps([
            .attestation(source: 1, target: 2, root: "A", expect: .refused(.doubleVote(previous: SignedAttestationRecord(
                sourceEpoch: 1, targetEpoch: 2, signingRoot: nil)))),
        ]))
    }

    func testPruningKeepsTheRulesAtLeastAsStrict() {
        var history = SlashingProtectionHistory(recordCountMax: 2)
        for (source, target) in [(0, 1), (1, 5), (2, 6)] as [(UInt64, UInt64)] {
            let decision = history.recordAttestation(
                source: Epoch(source), target: Epoch(target), signingRoot: Self.root("\(target)"))
            XCTAssertEqual(decision, .allowed)
        }
        XCTAssertEqual(history.attestations.count, 2)
        XCTAssertEqual(history.prunedTargetEpochMax, 1)
        // (0, 2) would have been surrounded by nothing kept, but is below the folded watermark.
        XCTAssertFalse(history.checkAttestation(source: 0, target: 2, signingRoot: Self.root("x")).maySign)
        for slot in UInt64(1)...3 { history.recordBlock(slot: Slot(slot), signingRoot: Self.root("b\(slot)")) }
        XCTAssertEqual(history.blocks.map(\.slot), [2, 3])
        XCTAssertEqual(history.prunedSlotMax, 1)
        XCTAssertEqual(
            history.checkBlock(slot: 1, signingRoot: Self.root("b1")), .refused(.blockSlotNotAfterLatest(slot: 1, latest: 3)))
        XCTAssertEqual(history.checkBlock(slot: 4, signingRoot: Self.root("b4")), .allowed)
    }

    func testDecisionsSayWhetherToSign() {
        XCTAssertTrue(SlashingProtectionDecision.allowed.maySign)
        XCTAssertTrue(SlashingProtectionDecision.alreadySigned.maySign)
        XCTAssertFalse(SlashingProtectionDecision.refused(.doubleBlockProposal(slot: 1)).maySign)
    }
}
