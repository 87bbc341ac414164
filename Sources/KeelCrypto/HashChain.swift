/// A SHA-256 hash chain for RANDAO reveals.
///
/// Element 0 is a secret seed and element k+1 is `SHA256(element k)`; element `length` is the
/// public ``commitment`` a validator registers. Reveals walk the chain backwards: reveal number
/// r (1...length) is element `length - r`. Anyone can check a reveal by hashing it once and
/// comparing with the previous reveal (or the commitment for r = 1), and nobody can produce the
/// next reveal early because that would mean inverting SHA-256. Each reveal is unique, so a
/// proposer can withhold its reveal but never grind it.
///
/// To keep both memory and reveal cost small the chain stores checkpoints, every
/// ``checkpointInterval`` elements, rather than every element: a chain of length L keeps about
/// √L hashes and recomputes fewer than √L hashes per reveal (for the maximum length, 4096
/// checkpoints, 128 KiB, and at most 4095 hashes, well under a millisecond, per reveal).
public struct HashChain: Sendable {
    /// The longest chain a validator may build: 2²⁴ reveals, over six months of proposing in
    /// every one-second slot. Building the longest chain takes 2²⁴ hashes (about 1.5 s in a
    /// release build), and ``verify(reveal:commitment:distance:)`` refuses longer distances so
    /// that a peer cannot make a node hash without bound.
    public static let lengthMax: UInt32 = 1 << 24

    /// The number of reveals, L.
    public let length: UInt32

    /// The distance between stored elements: the smallest power of two whose square is at
    /// least `length`.
    public let checkpointInterval: UInt32

    /// Elements 0, interval, 2·interval, … up to and including the last one below `length`.
    private let checkpoints: [Hash32]

    /// Element `length`, the public commitment.
    public let commitment: Hash32

    /// Builds the chain by hashing `seed` `length` times.
    ///
    /// - Precondition: `1 <= length <= lengthMax`. The length comes from the validator's own
    ///   configuration, never from a peer, so an invalid one is a programming error.
    /// - Parameters:
    ///   - seed: Element 0, the secret the whole chain derives from.
    ///   - length: The number of reveals the chain supports.
    public init(seed: Hash32, length: UInt32) {
        precondition(length >= 1, "a hash chain needs at least one reveal")
        precondition(length <= HashChain.lengthMax, "hash chain length above lengthMax")
        var interval: UInt32 = 1
        while UInt64(interval) * UInt64(interval) < UInt64(length) {
            interval <<= 1
        }
        var checkpoints: [Hash32] = []
        checkpoints.reserveCapacity(Int((length - 1) / interval) + 1)
        var element = seed
        for index in 0..<length {
            if index % interval == 0 {
                checkpoints.append(element)
            }
            element = SHA256.hash(element)
        }
        precondition(checkpoints.count == Int((length - 1) / interval) + 1, "one checkpoint per interval")
        precondition(checkpoints.first == seed, "element 0 is the seed")
        self.length = length
        self.checkpointInterval = interval
        self.checkpoints = checkpoints
        self.commitment = element
    }

    /// The reveal for the `number`-th proposal, element `length - number` of the chain.
    ///
    /// - Parameter number: The reveal number, 1 for the first proposal after registration.
    /// - Returns: The preimage to publish, or `nil` when `number` is 0 or above `length` (the
    ///   chain is exhausted and the validator must register a new commitment).
    public func reveal(number: UInt32) -> Hash32? {
        guard number >= 1, number <= length else {
            return nil
        }
        let elementIndex = length - number
        let checkpointIndex = Int(elementIndex / checkpointInterval)
        let stepCount = elementIndex % checkpointInterval
        precondition(checkpointIndex < checkpoints.count, "every element below length has a checkpoint")
        var element = checkpoints[checkpointIndex]
        for _ in 0..<stepCount {
            element = SHA256.hash(element)
        }
        return element
    }

    /// Checks a reveal against the one before it: the reveal hashes once to `previous`.
    ///
    /// - Parameters:
    ///   - reveal: The newly published preimage.
    ///   - previous: The previous reveal, or the commitment for the first reveal.
    /// - Returns: `SHA256(reveal) == previous`.
    public static func verify(reveal: Hash32, against previous: Hash32) -> Bool {
        SHA256.hash(reveal) == previous
    }

    /// Checks a reveal against the commitment directly, for a verifier that has not seen the
    /// reveals in between (a new node, a light client).
    ///
    /// - Parameters:
    ///   - reveal: The published preimage.
    ///   - commitment: The registered chain tip.
    ///   - distance: The reveal number, i.e. how many hashes separate `reveal` from the
    ///     commitment. Distance 0 means `reveal` is the commitment itself.
    /// - Returns: `true` when hashing `reveal` exactly `distance` times gives `commitment`;
    ///   `false` when it does not or when `distance` exceeds ``lengthMax`` (refused without
    ///   hashing, so untrusted input cannot demand unbounded work).
    public static func verify(reveal: Hash32, commitment: Hash32, distance: UInt32) -> Bool {
        guard distance <= lengthMax else {
            return false
        }
        var element = reveal
        for _ in 0..<distance {
            element = SHA256.hash(element)
        }
        return element == commitment
    }
}
