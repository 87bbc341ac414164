import KeelChain
import KeelTestSupport
import XCTest

final class FinalityTests: XCTestCase {
    func testFullParticipationFinalizesByEpochFourAndKeepsPace() throws {
        var chain = try TestChain(validatorCount: 16)
        try chain.advance(throughEpoch: 1)
        XCTAssertEqual(chain.state.finalizedCheckpoint.epoch, 0)
        for epoch in UInt64(2)...6 {
            try chain.advance(throughEpoch: epoch)
            // Cross into the next epoch, where the boundary's epoch processing has run.
            try chain.advance(to: Slot((epoch + 1) * chain.state.preset.slotsPerEpoch))
            let current = chain.state.getCurrentEpoch().rawValue
            XCTAssertEqual(current, epoch + 1)
            if current >= 4 {
                XCTAssertEqual(chain.state.finalizedCheckpoint.epoch.rawValue, current - 2, "epoch \(current)")
                XCTAssertEqual(chain.state.currentJustifiedCheckpoint.epoch.rawValue, current - 1, "epoch \(current)")
            }
        }
    }

    func testOneThirdOfflineStopsFinality() throws {
        var chain = try TestChain(validatorCount: 15)
        // Validators 0..5 (6 of 15, 40% of stake) never attest: 60% < 2/3, nothing justifies.
        try chain.advance(throughEpoch: 5, participates: { $0.rawValue >= 6 })
        XCTAssertEqual(chain.state.finalizedCheckpoint.epoch, 0)
        XCTAssertEqual(chain.state.currentJustifiedCheckpoint.epoch, 0)
    }
}
