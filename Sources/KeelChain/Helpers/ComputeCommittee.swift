/// Why `computeCommittee` could not form a committee.
public enum ComputeCommitteeError: Error, Hashable, Sendable {
    /// `count` was zero (the spec divides by it) or `len(indices) * (index + 1)` overflowed a
    /// uint64.
    case arithmetic(ArithmeticError)
    /// The committee reaches past the end of `indices`, where the spec's
    /// `compute_shuffled_index` asserts: `index` is not below `count`.
    case shuffle(ComputeShuffledIndexError)
}

/// Committee `index` of `count` committees over the shuffled `indices` (phase0
/// `compute_committee`, "Helper functions / Misc").
///
/// The committee is the slice `start ..< end` of the shuffled list, where
/// `start = (len(indices) * index) // count` and `end = (len(indices) * (index + 1)) // count`,
/// so the `count` committees of one shuffling partition it into slices whose sizes differ by at
/// most one. This variant shuffles each member with `computeShuffledIndex`; to form every
/// committee of an epoch, shuffle once with `computeShuffledIndices` and use
/// `computeCommittee(shuffledIndices:index:count:)`.
///
/// - Parameters:
///   - indices: The active validator indices, in registry order.
///   - seed: The committee seed of the epoch.
///   - index: Which committee, below `count`.
///   - count: How many committees the shuffled list is cut into.
///   - shuffleRoundCount: `SHUFFLE_ROUND_COUNT`.
/// - Returns: `[indices[compute_shuffled_index(i, len(indices), seed)] for i in range(start, end)]`.
/// - Throws: `ComputeCommitteeError.arithmetic` when `count` is zero or the bounds overflow, and
///   `.shuffle` when the committee would reach past the list (exactly when the spec's
///   `compute_shuffled_index` assertion fails; an out-of-range `index` whose slice is empty
///   gives an empty committee, as in the spec).
public func computeCommittee(
    indices: [ValidatorIndex], seed: Root, index: UInt64, count: UInt64, shuffleRoundCount: UInt64 = 90
) throws(ComputeCommitteeError) -> [ValidatorIndex] {
    let indexCount = UInt64(indices.count)
    let (start, end) = try committeeBounds(indexCount: indexCount, index: index, count: count)
    var committee: [ValidatorIndex] = []
    committee.reserveCapacity(Int(min(end - start, indexCount)))
    for i in start..<end {
        do throws(ComputeShuffledIndexError) {
            let shuffled = try computeShuffledIndex(
                index: i, indexCount: indexCount, seed: seed, shuffleRoundCount: shuffleRoundCount)
            committee.append(indices[Int(shuffled)])
        } catch {
            throw .shuffle(error)
        }
    }
    precondition(UInt64(committee.count) == end - start, "a committee is the slice start ..< end")
    return committee
}

/// Committee `index` of `count` committees, sliced from a list already shuffled with
/// `computeShuffledIndices` (phase0 `compute_committee` with the shuffling hoisted out).
///
/// - Parameters:
///   - shuffledIndices: `computeShuffledIndices(indices:seed:)` of the epoch's active indices.
///   - index: Which committee, below `count`.
///   - count: How many committees the shuffled list is cut into.
/// - Returns: `shuffledIndices[start ..< end]`, equal to
///   `computeCommittee(indices:seed:index:count:)` on the unshuffled list.
/// - Throws: The same `ComputeCommitteeError` as `computeCommittee(indices:seed:index:count:)`
///   for the same arguments.
public func computeCommittee(
    shuffledIndices: [ValidatorIndex], index: UInt64, count: UInt64
) throws(ComputeCommitteeError) -> [ValidatorIndex] {
    let indexCount = UInt64(shuffledIndices.count)
    let (start, end) = try committeeBounds(indexCount: indexCount, index: index, count: count)
    guard start < end else { return [] }
    guard end <= indexCount else {
        // The spec's loop asserts at its first index not below len(indices).
        throw .shuffle(.indexNotBelowIndexCount(index: max(start, indexCount), indexCount: indexCount))
    }
    let committee = Array(shuffledIndices[Int(start)..<Int(end)])
    precondition(UInt64(committee.count) == end - start, "a committee is the slice start ..< end")
    return committee
}

/// The spec's `start = (len(indices) * index) // count` and
/// `end = (len(indices) * (index + 1)) // count`, in checked uint64 arithmetic: a zero `count`
/// or an overflow throws where the spec raises.
private func committeeBounds(
    indexCount: UInt64, index: UInt64, count: UInt64
) throws(ComputeCommitteeError) -> (start: UInt64, end: UInt64) {
    guard count > 0 else { throw .arithmetic(.divisionByZero) }
    let (nextIndex, indexOverflow) = index.addingReportingOverflow(1)
    let (startProduct, startOverflow) = indexCount.multipliedReportingOverflow(by: index)
    let (endProduct, endOverflow) = indexCount.multipliedReportingOverflow(by: nextIndex)
    guard !indexOverflow, !startOverflow, !endOverflow else { throw .arithmetic(.overflow) }
    let start = startProduct / count
    let end = endProduct / count
    precondition(start <= end, "committee bounds are ordered")
    return (start, end)
}
