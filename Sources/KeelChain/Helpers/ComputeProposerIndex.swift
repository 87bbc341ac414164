import KeelCrypto

extension Constants {
    /// How many candidates `computeProposerIndex` draws before giving up, 2^16.
    ///
    /// The phase0 loop has no bound, but it always ends: a candidate is accepted whenever the
    /// random byte is 0 (then `effective_balance * 255 >= MAX_EFFECTIVE_BALANCE * 0` holds even
    /// for a zero balance), and each draw's byte is 0 with probability 1/256. Even with every
    /// effective stake zero, 2^16 draws all fail with probability (255/256)^65536 < 10^-111, so
    /// the bound never changes a result; it only makes the function total.
    public static let proposerCandidateCountMax: UInt64 = 1 << 16
}

/// Why `computeProposerIndex` found no proposer.
public enum ComputeProposerIndexError: Error, Hashable, Sendable {
    /// The spec's `assert len(indices) > 0` failed.
    case indicesEmpty
    /// Shuffling the candidates failed (a wrapped `computeShuffledIndex` error).
    case shuffle(ComputeShuffledIndexError)
    /// `effective_balance * MAX_RANDOM_BYTE` or `MAX_EFFECTIVE_BALANCE * random_byte`
    /// overflowed a uint64, where the spec raises.
    case arithmetic(ArithmeticError)
    /// `Constants.proposerCandidateCountMax` candidates were all rejected (see there: this does
    /// not happen in practice).
    case candidateCountExceeded(candidateCountMax: UInt64)
}

/// The proposer drawn from `indices`, with probability proportional to effective stake (phase0
/// `compute_proposer_index`, "Helper functions / Misc").
///
/// Candidates come in the order of the swap-or-not shuffle, `indices[compute_shuffled_index(i %
/// total, total, seed)]` for `i = 0, 1, …`; candidate `i` is accepted when
/// `effective_balance * 255 >= MAX_EFFECTIVE_BALANCE * random_byte`, where `random_byte` is byte
/// `i % 32` of `hash(seed ‖ uint64(i // 32))` (little-endian, 8 bytes).
///
/// Departure from phase0: the loop stops after `Constants.proposerCandidateCountMax` candidates
/// and throws, where the spec would keep drawing; that point is never reached in practice.
///
/// - Parameters:
///   - indices: The candidates (the active validator indices), not empty.
///   - effectiveStake: The effective stake of a candidate (`state.validators[i].effective_balance`).
///   - seed: The proposer seed of the slot.
///   - maxEffectiveStake: `MAX_EFFECTIVE_BALANCE`, in the same unit as `effectiveStake`; only
///     the ratio of the two matters.
///   - shuffleRoundCount: `SHUFFLE_ROUND_COUNT`.
/// - Returns: The chosen validator index, an element of `indices`.
/// - Throws: `ComputeProposerIndexError.indicesEmpty` where the spec asserts, `.arithmetic` where
///   its uint64 arithmetic overflows, and `.candidateCountExceeded` past the loop bound.
public func computeProposerIndex(
    indices: [ValidatorIndex], effectiveStake: (ValidatorIndex) -> Stake, seed: Root,
    maxEffectiveStake: Stake, shuffleRoundCount: UInt64 = 90
) throws(ComputeProposerIndexError) -> ValidatorIndex {
    guard !indices.isEmpty else { throw .indicesEmpty }
    let maxRandomByte: UInt64 = (1 << 8) - 1
    let total = UInt64(indices.count)
    var randomBytes = Hash32.zero  // hash(seed + uint_to_bytes(uint64(i // 32))), refreshed every 32 draws.
    for i in 0..<Constants.proposerCandidateCountMax {
        let shuffledIndex: UInt64
        do throws(ComputeShuffledIndexError) {
            shuffledIndex = try computeShuffledIndex(
                index: i % total, indexCount: total, seed: seed, shuffleRoundCount: shuffleRoundCount)
        } catch {
            throw .shuffle(error)
        }
        precondition(shuffledIndex < total, "a shuffled index stays inside the list")
        let candidateIndex = indices[Int(shuffledIndex)]
        if i % 32 == 0 {
            randomBytes = proposerRandomBytes(seed: seed, block: i / 32)
        }
        let randomByte = randomBytes.withUnsafeBytes { UInt64($0[Int(i % 32)]) }
        let effectiveBalance = effectiveStake(candidateIndex)
        do throws(ArithmeticError) {
            let weight = try effectiveBalance.safeMul(maxRandomByte)
            let threshold = try maxEffectiveStake.safeMul(randomByte)
            if weight >= threshold { return candidateIndex }
        } catch {
            throw .arithmetic(error)
        }
    }
    throw .candidateCountExceeded(candidateCountMax: Constants.proposerCandidateCountMax)
}

/// `hash(seed + uint_to_bytes(uint64(block)))`: 32 random bytes, one per candidate draw.
private func proposerRandomBytes(seed: Root, block: UInt64) -> Hash32 {
    var hasher = SHA256.Hasher()
    hasher.update(seed)
    hasher.update(withUnsafeBytes(of: block.littleEndian, Array.init))
    return hasher.finalize()
}
