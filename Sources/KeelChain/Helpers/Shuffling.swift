import KeelCrypto

extension Constants {
    /// The largest `index_count` the swap-or-not shuffle accepts, 2^40.
    ///
    /// Phase0 `compute_shuffled_index` hashes `uint_to_bytes(uint32(position // 256))`, so a
    /// position must be below 2^32 · 256 = 2^40; above that the spec's `uint32` raises. Keel
    /// rejects such counts up front instead of mid-shuffle. No registry comes near this size.
    public static let shuffleIndexCountMax: UInt64 = 1 << 40

    /// The largest `SHUFFLE_ROUND_COUNT` the shuffle accepts, 256: the spec hashes the round
    /// number as `uint8(current_round)`.
    public static let shuffleRoundCountMax: UInt64 = 256
}

/// The hashing shared by `computeShuffledIndex` and `computeShuffledList`: one reusable
/// `seed ‖ round ‖ uint32(position // 256)` buffer, so both compute the very same bytes.
enum Shuffling {
    /// Bytes of the source preimage: a 32-byte seed, one round byte, four block-number bytes.
    static let inputByteCount = Hash32.byteCount + 1 + 4

    /// A preimage buffer holding `seed`; the round and block bytes are filled in per use.
    static func input(seed: Root) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: inputByteCount)
        seed.withUnsafeBytes { bytes in
            for offset in 0..<Hash32.byteCount { buffer[offset] = bytes[offset] }
        }
        precondition(buffer.count == inputByteCount, "the preimage is seed, round and block")
        return buffer
    }

    /// Sets the round byte, `uint_to_bytes(uint8(current_round))`.
    static func setRound(_ round: UInt64, in input: inout [UInt8]) {
        precondition(round < Constants.shuffleRoundCountMax, "the round must fit a uint8")
        input[Hash32.byteCount] = UInt8(truncatingIfNeeded: round)
    }

    /// `bytes_to_uint64(hash(seed + uint_to_bytes(uint8(current_round)))[0:8]) % index_count`.
    static func pivot(input: [UInt8], indexCount: UInt64) -> UInt64 {
        precondition(indexCount > 0, "a pivot needs a non-empty list")
        let digest = SHA256.hash(input[0..<(Hash32.byteCount + 1)])
        let value = digest.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        return value % indexCount
    }

    /// `hash(seed + uint_to_bytes(uint8(current_round)) + uint_to_bytes(uint32(block)))`, with
    /// `block = position // 256`, little-endian as `uint_to_bytes` is.
    static func source(input: inout [UInt8], block: UInt64) -> Hash32 {
        precondition(block <= UInt64(UInt32.max), "the block number must fit a uint32")
        let base = Hash32.byteCount + 1
        input[base] = UInt8(truncatingIfNeeded: block)
        input[base + 1] = UInt8(truncatingIfNeeded: block >> 8)
        input[base + 2] = UInt8(truncatingIfNeeded: block >> 16)
        input[base + 3] = UInt8(truncatingIfNeeded: block >> 24)
        return SHA256.hash(input)
    }

    /// `(byte >> (position % 8)) % 2` with `byte = source[(position % 256) // 8]`.
    @inline(__always)
    static func bit(source: Hash32, position: UInt64) -> Bool {
        let byte = source.withUnsafeBytes { $0[Int((position % 256) / 8)] }
        return (byte >> (position % 8)) & 1 == 1
    }

    /// `(pivot + index_count - index) % index_count`, without the intermediate sum.
    @inline(__always)
    static func flip(pivot: UInt64, index: UInt64, indexCount: UInt64) -> UInt64 {
        pivot >= index ? pivot - index : pivot + (indexCount - index)
    }
}
