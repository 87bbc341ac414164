import KeelChain
import KeelCrypto
import XCTest

@testable import KeelSim

/// The safety check itself must be able to fail, or the random fault runs prove nothing.
final class FinalityLedgerTests: XCTestCase {
    private func root(_ label: String) -> Root { SHA256.hash(Array(label.utf8)) }

    /// genesis <- a1 <- a2 <- a3 and genesis <- b1 <- b2: two branches.
    private func ledger() -> FinalityLedger {
        var ledger = FinalityLedger()
        ledger.recordBlock(root("genesis"), parent: .zero, slot: 0)
        ledger.recordBlock(root("a1"), parent: root("genesis"), slot: 8)
        ledger.recordBlock(root("a2"), parent: root("a1"), slot: 16)
        ledger.recordBlock(root("a3"), parent: root("a2"), slot: 24)
        ledger.recordBlock(root("b1"), parent: root("genesis"), slot: 9)
        ledger.recordBlock(root("b2"), parent: root("b1"), slot: 16)
        return ledger
    }

    func testFinalizingAlongOneChainIsSafe() {
        var ledger = ledger()
        XCTAssertNil(ledger.recordFinalized(epoch: 2, root: root("a2")))
        XCTAssertNil(ledger.recordFinalized(epoch: 1, root: root("a1")))
        XCTAssertNil(ledger.recordFinalized(epoch: 3, root: root("a3")))
        XCTAssertNil(ledger.recordFinalized(epoch: 2, root: root("a2")), "the same checkpoint again")
    }

    func testTwoRootsForOneEpochConflict() {
        var ledger = ledger()
        XCTAssertNil(ledger.recordFinalized(epoch: 2, root: root("a2")))
        XCTAssertNotNil(ledger.recordFinalized(epoch: 2, root: root("b2")))
    }

    func testFinalizedCheckpointsOnDifferentBranchesConflict() {
        var ledger = ledger()
        XCTAssertNil(ledger.recordFinalized(epoch: 1, root: root("b1")))
        XCTAssertNotNil(ledger.recordFinalized(epoch: 3, root: root("a3")), "a3 does not descend from b1")
        var other = self.ledger()
        XCTAssertNil(other.recordFinalized(epoch: 3, root: root("a3")))
        XCTAssertNotNil(other.recordFinalized(epoch: 1, root: root("b1")), "order of discovery does not matter")
    }

    func testAncestry() {
        let ledger = ledger()
        XCTAssertTrue(ledger.isAncestor(root("genesis"), of: root("a3")))
        XCTAssertTrue(ledger.isAncestor(root("a3"), of: root("a3")))
        XCTAssertFalse(ledger.isAncestor(root("a3"), of: root("a1")))
        XCTAssertFalse(ledger.isAncestor(root("b1"), of: root("a3")))
        XCTAssertFalse(ledger.isAncestor(root("unknown"), of: root("a3")))
    }
}
