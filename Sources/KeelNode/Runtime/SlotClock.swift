import Foundation
import KeelChain

/// Wall-clock time to slots: slot `n` starts `n · slotMs` milliseconds after genesis.
///
/// The source of time is injected (`nowMs`), so tests can drive it by hand.
public struct SlotClock: Sendable {
    /// Unix time of slot 0, in milliseconds.
    public let genesisTimeMs: UInt64
    /// The slot length in milliseconds.
    public let slotMs: UInt64
    /// The current Unix time in milliseconds.
    public let nowMs: @Sendable () -> UInt64

    /// Creates a clock.
    ///
    /// - Parameters:
    ///   - genesisTimeMs: Unix time of slot 0 in milliseconds.
    ///   - slotMs: The slot length, positive.
    ///   - nowMs: The time source; the system clock by default.
    public init(genesisTimeMs: UInt64, slotMs: UInt64, nowMs: @escaping @Sendable () -> UInt64 = SlotClock.systemNowMs) {
        precondition(slotMs > 0, "a slot lasts some time")
        precondition(genesisTimeMs <= UInt64.max / 2, "genesis time is a plausible Unix time")
        self.genesisTimeMs = genesisTimeMs
        self.slotMs = slotMs
        self.nowMs = nowMs
    }

    /// The system clock, in Unix milliseconds.
    @Sendable public static func systemNowMs() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1000))
    }

    /// The slot at Unix time `timeMs` (slot 0 before genesis).
    public func slot(atMs timeMs: UInt64) -> Slot {
        guard timeMs > genesisTimeMs else { return Slot(0) }
        return Slot((timeMs - genesisTimeMs) / slotMs)
    }

    /// The current slot.
    public var currentSlot: Slot { slot(atMs: nowMs()) }

    /// Unix time at which `slot` starts, in milliseconds.
    public func startMs(of slot: Slot) -> UInt64 {
        precondition(slot.rawValue <= (UInt64.max - genesisTimeMs) / slotMs, "the slot starts at a representable time")
        return genesisTimeMs + slot.rawValue * slotMs
    }

    /// Milliseconds from now until Unix time `timeMs` (0 if it has passed).
    public func msUntil(_ timeMs: UInt64) -> UInt64 {
        let now = nowMs()
        return timeMs > now ? timeMs - now : 0
    }
}
