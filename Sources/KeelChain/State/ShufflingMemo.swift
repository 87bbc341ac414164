import KeelCrypto
import Synchronization

/// The epoch shufflings computed last, shared by every state of the process.
///
/// Shuffling 10,000 validators costs milliseconds, and one epoch's shuffling is asked for from
/// many places: validator duties, the attestation pool, fork choice's checkpoint summaries, the
/// attestations of each block imported or produced, and in the simulator by every core.
///
/// Determinism: an entry is keyed by everything `computeShuffledIndices` reads (the seed, the
/// round count and the active indices themselves), so a hit returns exactly what computing
/// would: a memo of a pure function, which changes no result and no order, whatever else the
/// process runs. It holds at most ``capacity`` entries, evicting the oldest.
final class ShufflingMemo: Sendable {
    struct Key: Hashable, Sendable {
        let seed: Root
        let shuffleRoundCount: UInt64
        let active: [ValidatorIndex]
    }

    /// A few epochs for each of a few forks.
    static let shared = ShufflingMemo(capacity: 16)

    let capacity: Int
    private let entries = Mutex<(shuffled: [Key: [ValidatorIndex]], order: [Key])>(([:], []))

    init(capacity: Int) {
        precondition(capacity >= 1)
        self.capacity = capacity
    }

    /// The shuffling of `key.active` under `key.seed`: from the memo, or computed (outside the
    /// lock) and remembered.
    func shuffled(_ key: Key) -> [ValidatorIndex] {
        if let hit = entries.withLock({ $0.shuffled[key] }) { return hit }
        let shuffled = computeShuffledIndices(indices: key.active, seed: key.seed, shuffleRoundCount: key.shuffleRoundCount)
        entries.withLock { memo in
            guard memo.shuffled[key] == nil else { return }
            if memo.order.count == capacity { memo.shuffled[memo.order.removeFirst()] = nil }
            memo.shuffled[key] = shuffled
            memo.order.append(key)
        }
        return shuffled
    }
}
