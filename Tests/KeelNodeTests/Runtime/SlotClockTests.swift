import KeelChain
import XCTest

@testable import KeelNode

/// `SlotClock`: wall time to slots, on an injected clock.
final class RuntimeSlotClockTests: XCTestCase {
    private final class FakeTime: @unchecked Sendable {
        // Tests set it from one thread.
        var nowMs: UInt64 = 0
    }

    func testSlotsCountFromGenesisInWholeSlots() {
        let time = FakeTime()
        let clock = SlotClock(genesisTimeMs: 10_000, slotMs: 250, nowMs: { time.nowMs })
        time.nowMs = 0
        XCTAssertEqual(clock.currentSlot, Slot(0), "before genesis is slot 0")
        time.nowMs = 10_000
        XCTAssertEqual(clock.currentSlot, Slot(0))
        time.nowMs = 10_249
        XCTAssertEqual(clock.currentSlot, Slot(0))
        time.nowMs = 10_250
        XCTAssertEqual(clock.currentSlot, Slot(1))
        time.nowMs = 10_000 + 250 * 77 + 3
        XCTAssertEqual(clock.currentSlot, Slot(77))
    }

    func testStartTimesAndWaits() {
        let time = FakeTime()
        let clock = SlotClock(genesisTimeMs: 1_000, slotMs: 100, nowMs: { time.nowMs })
        XCTAssertEqual(clock.startMs(of: Slot(0)), 1_000)
        XCTAssertEqual(clock.startMs(of: Slot(5)), 1_500)
        time.nowMs = 1_420
        XCTAssertEqual(clock.msUntil(clock.startMs(of: Slot(5))), 80)
        XCTAssertEqual(clock.msUntil(clock.startMs(of: Slot(4))), 0, "a past time is no wait")
        XCTAssertEqual(clock.slot(atMs: clock.startMs(of: Slot(9))), Slot(9), "a slot starts in itself")
    }
}
