/// Why `computeShuffledIndex` rejected its arguments.
public enum ComputeShuffledIndexError: Error, Hashable, Sendable {
    /// The spec's `assert index < index_count` failed.
    case indexNotBelowIndexCount(index: UInt64, indexCount: UInt64)
    /// `index_count` is above `Constants.shuffleIndexCountMax`, where the spec's
    /// `uint32(position // 256)` would overflow.
    case indexCountAboveMax(indexCount: UInt64, indexCountMax: UInt64)
}

/// The position that `index` moves to in a swap-or-not shuffle of `indexCount` items (phase0
/// `compute_shuffled_index`, "Helper functions / Misc").
///
/// Each of the `shuffleRoundCount` rounds picks a pivot from `hash(seed ‖ round)`, pairs
/// `index` with its mirror `flip = (pivot + indexCount - index) % indexCount`, and swaps the two
/// when bit `position % 256` of `hash(seed ‖ round ‖ uint32(position // 256))` is set, where
/// `position = max(index, flip)`. Because the bit depends only on the pair, every round is an
/// involution and the whole shuffle is a permutation of `0 ..< indexCount`.
///
/// To shuffle a whole list use `computeShuffledList`, which gives the same mapping at a
/// fraction of the hashing.
///
/// Departure from phase0: an `indexCount` above `Constants.shuffleIndexCountMax` (2^40) is
/// rejected before the first round; the spec raises on such counts only when a round's
/// `uint32(position // 256)` overflows, which is as good as always.
///
/// - Parameters:
///   - index: The position to follow, below `indexCount`.
///   - indexCount: The number of items shuffled.
///   - seed: The shuffling seed.
///   - shuffleRoundCount: `SHUFFLE_ROUND_COUNT`, at most `Constants.shuffleRoundCountMax`
///     (a preset value, so a larger one is a bug and traps).
/// - Returns: `compute_shuffled_index(index, index_count, seed)`, below `indexCount`.
/// - Throws: `ComputeShuffledIndexError.indexNotBelowIndexCount` where the spec asserts, and
///   `.indexCountAboveMax` for counts the spec's `uint32` cannot address.
public func computeShuffledIndex(
    index: UInt64, indexCount: UInt64, seed: Root, shuffleRoundCount: UInt64 = 90
) throws(ComputeShuffledIndexError) -> UInt64 {
    precondition(shuffleRoundCount <= Constants.shuffleRoundCountMax, "SHUFFLE_ROUND_COUNT must fit a uint8")
    guard index < indexCount else {
        throw .indexNotBelowIndexCount(index: index, indexCount: indexCount)
    }
    guard indexCount <= Constants.shuffleIndexCountMax else {
        throw .indexCountAboveMax(indexCount: indexCount, indexCountMax: Constants.shuffleIndexCountMax)
    }
    var input = Shuffling.input(seed: seed)
    var index = index
    for currentRound in 0..<shuffleRoundCount {
        Shuffling.setRound(currentRound, in: &input)
        let pivot = Shuffling.pivot(input: input, indexCount: indexCount)
        let flip = Shuffling.flip(pivot: pivot, index: index, indexCount: indexCount)
        let position = max(index, flip)
        let source = Shuffling.source(input: &input, block: position / 256)
        if Shuffling.bit(source: source, position: position) {
            index = flip
        }
    }
    precondition(index < indexCount, "a shuffled index stays inside the list")
    return index
}
