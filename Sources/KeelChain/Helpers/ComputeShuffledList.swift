import KeelCrypto

/// The whole swap-or-not permutation of `0 ..< indexCount`: element `i` is
/// `computeShuffledIndex(index: i, indexCount: indexCount, seed: seed)`.
///
/// Not a phase0 function but the standard optimisation of it (Lighthouse's `shuffle_list`):
/// instead of following each index through every round, which hashes twice per index per round, it applies each round
/// to the whole list at once, hashing every 256-position block once per round. Applying a
/// round `P` to a list `L` in place gives `L'[x] = L[P(x)]`, so applying the rounds last to
/// first gives `L[P₈₉(…P₁(P₀(x)))]`, exactly the per-index composition. Tests check it equals the
/// per-index function for many counts and seeds.
///
/// - Parameters:
///   - indexCount: The number of items, at most `Constants.shuffleIndexCountMax` (a list that
///     large cannot be held in memory, so a larger count is a bug and traps).
///   - seed: The shuffling seed.
///   - shuffleRoundCount: `SHUFFLE_ROUND_COUNT`, at most `Constants.shuffleRoundCountMax`.
/// - Returns: `[compute_shuffled_index(i, index_count, seed) for i in range(index_count)]`.
public func computeShuffledList(indexCount: UInt64, seed: Root, shuffleRoundCount: UInt64 = 90) -> [UInt64] {
    precondition(indexCount <= Constants.shuffleIndexCountMax, "the shuffle addresses at most 2^40 items")
    var list = Array(0..<indexCount)
    Shuffling.applyRounds(to: &list, seed: seed, shuffleRoundCount: shuffleRoundCount)
    precondition(list.count == Int(indexCount), "shuffling keeps the length")
    return list
}

/// `indices` in shuffled order: element `i` is `indices[computeShuffledIndex(index: i, …)]`,
/// the order in which phase0 `compute_committee` hands out validators.
///
/// Committees of an epoch are consecutive slices of this list, so computing it once and
/// slicing it with `computeCommittee(shuffledIndices:index:count:)` gives exactly the
/// committees of phase0 `compute_committee`.
///
/// - Parameters:
///   - indices: The active validator indices, in registry order.
///   - seed: The shuffling seed.
///   - shuffleRoundCount: `SHUFFLE_ROUND_COUNT`, at most `Constants.shuffleRoundCountMax`.
/// - Returns: `[indices[compute_shuffled_index(i, len(indices), seed)] for i in range(len(indices))]`.
public func computeShuffledIndices(
    indices: [ValidatorIndex], seed: Root, shuffleRoundCount: UInt64 = 90
) -> [ValidatorIndex] {
    let permutation = computeShuffledList(
        indexCount: UInt64(indices.count), seed: seed, shuffleRoundCount: shuffleRoundCount)
    let shuffled = permutation.map { indices[Int($0)] }
    precondition(shuffled.count == indices.count, "shuffling keeps the length")
    return shuffled
}

extension Shuffling {
    /// Applies the rounds `shuffleRoundCount - 1` down to 0 in place, so that afterwards
    /// `list[i]` is the old `list[compute_shuffled_index(i, list.count, seed)]`.
    ///
    /// A round with pivot `p` pairs `x` with `flip(x) = (p + n - x) % n`: the pairs are
    /// `{x, p - x}` inside `0 ... p` and `{x, p + n - x}` inside `p + 1 ..< n`. Each pair is
    /// visited once, from its smaller member, and its larger member is the spec's `position`.
    /// So a round costs `n / 2` steps and `⌈n / 256⌉` hashes.
    static func applyRounds(to list: inout [UInt64], seed: Root, shuffleRoundCount: UInt64) {
        precondition(shuffleRoundCount <= Constants.shuffleRoundCountMax, "SHUFFLE_ROUND_COUNT must fit a uint8")
        precondition(UInt64(list.count) <= Constants.shuffleIndexCountMax, "the shuffle addresses at most 2^40 items")
        let indexCount = UInt64(list.count)
        guard indexCount > 1 else { return }  // Every round of a 0- or 1-item shuffle is the identity.
        let blockCount = Int((indexCount + 255) / 256)
        var input = input(seed: seed)
        // The source hashes of one round, block after block: byte `position / 8` of this buffer
        // is byte `(position % 256) / 8` of block `position / 256`'s hash.
        var sourceBytes = [UInt8](repeating: 0, count: blockCount * Hash32.byteCount)
        var currentRound = shuffleRoundCount
        while currentRound > 0 {
            currentRound -= 1
            setRound(currentRound, in: &input)
            let pivot = pivot(input: input, indexCount: indexCount)
            for block in 0..<blockCount {
                let digest = source(input: &input, block: UInt64(block))
                digest.withUnsafeBytes { bytes in
                    for offset in 0..<Hash32.byteCount { sourceBytes[block * Hash32.byteCount + offset] = bytes[offset] }
                }
            }
            sourceBytes.withUnsafeBufferPointer { sources in
                list.withUnsafeMutableBufferPointer { items in
                    swapPairs(items, sources: sources, mirrorSum: Int(pivot), from: 0)
                    swapPairs(items, sources: sources, mirrorSum: Int(pivot + indexCount), from: Int(pivot) + 1)
                }
            }
        }
    }

    /// Swaps `x` and `mirrorSum - x` for `x = from, from + 1, …` while `x < mirrorSum - x`,
    /// when the source bit of `mirrorSum - x` is set.
    @inline(__always)
    private static func swapPairs(
        _ items: UnsafeMutableBufferPointer<UInt64>, sources: UnsafeBufferPointer<UInt8>, mirrorSum: Int, from: Int
    ) {
        var low = from
        var high = mirrorSum - from
        while low < high {
            if (sources[high >> 3] >> (high & 7)) & 1 == 1 {
                items.swapAt(low, high)
            }
            low += 1
            high -= 1
        }
    }
}
