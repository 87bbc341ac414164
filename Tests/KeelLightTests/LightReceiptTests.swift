import KeelChain
import KeelCrypto
import KeelFormats
import KeelLight
import KeelTestSupport
import XCTest

/// A light node that re-executes blocks from their witnesses checks the node's receipts: the
/// honest ones (a transfer and a Fibonacci call per block) pass, and a receipt with another
/// output, fee, status or steps, a missing or extra one, or another block's replayed, is refused.
final class LightReceiptTests: XCTestCase {
    private static func honest(_ fixture: LightChainFixture, _ index: Int) throws -> [APIReceiptJSON] {
        let (block, preState) = fixture.execution.blocks[index]
        let root = block.message.hashTreeRoot
        return try preState.transactionReceipts(of: block.message).map { APIReceiptJSON($0, blockRoot: root, slot: block.message.slot) }
    }

    func testHonestReceiptsPassAndEveryAlteredOneIsRefused() throws {
        var fixture = try LightChainFixture()
        try fixture.advance(slots: 2)
        var first = fixture.served[0].data
        first.receipts = try Self.honest(fixture, 0)
        var second = fixture.served[1].data
        let receipts = try Self.honest(fixture, 1)
        XCTAssertEqual(receipts.map(\.kind), ["transfer", "call"])
        XCTAssertEqual(receipts[1].output, [12_586_269_025 % 2_130_706_433].map(UInt32.init), "F(50) mod p")

        var light = fixture.lightChain()
        _ = try light.verify(first, with: .reexec)
        second.receipts = receipts
        var honestLight = light
        XCTAssertNoThrow(try honestLight.verify(second, with: .reexec))

        var wrongOutput = receipts
        wrongOutput[1].output = [1]
        var wrongFee = receipts
        wrongFee[0].feePaid = "1"
        var wrongStatus = receipts
        wrongStatus[1].status = "fault"
        var wrongSteps = receipts
        wrongSteps[1].steps = (wrongSteps[1].steps ?? 0) + 1
        var wrongRoot = receipts
        wrongRoot[0].transactionRoot = SHA256.hash([1]).hex
        let cases: [([APIReceiptJSON], Int)] = [
            (wrongOutput, 1), (wrongFee, 0), (wrongStatus, 1), (wrongSteps, 1), (wrongRoot, 0),
            (Array(receipts.prefix(1)), 1), (receipts + [receipts[0]], 2), (Array(receipts.reversed()), 0),
        ]
        // Another block's receipts replayed for this one (same account, same kinds).
        let replayed = try Self.honest(fixture, 0)
        for (bad, index) in cases + [(replayed, 0)] {
            var data = second
            data.receipts = bad
            var copy = light
            XCTAssertThrowsError(try copy.verify(data, with: .reexec)) { error in
                guard case .receiptsMismatch(let at)? = error as? LightVerificationError else { return XCTFail("\(error)") }
                XCTAssertEqual(at, index)
            }
        }
    }
}
