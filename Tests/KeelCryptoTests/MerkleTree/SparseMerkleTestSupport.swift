import KeelCrypto
import XCTest

/// One entry of a state tree, as the tests spell it.
typealias MerkleEntry = (key: Hash32, valueHash: Hash32)

/// A seeded random 32-byte value.
func randomHash32(_ generator: inout SplitMix64) -> Hash32 {
    var bytes: [UInt8] = []
    for _ in 0..<4 {
        withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) }
    }
    guard let hash = Hash32(bytes: bytes) else {
        preconditionFailure("four words are 32 bytes")
    }
    return hash
}

/// A seeded random key sharing its first `sharedByteCount` bytes with `prefix`, so that tests
/// also see long runs of shared bits (chains of one-child branches).
func randomKey(_ generator: inout SplitMix64, prefix: Hash32 = .zero, sharedByteCount: Int = 0) -> Hash32 {
    var bytes = randomHash32(&generator).bytes
    let prefixBytes = prefix.bytes
    for index in 0..<sharedByteCount {
        bytes[index] = prefixBytes[index]
    }
    return Hash32(bytes: bytes)!
}

/// `count` entries with distinct random keys; every third key clusters under a shared 20-byte
/// prefix when `clustered` is set.
func randomEntries(_ count: Int, _ generator: inout SplitMix64, clustered: Bool = false) -> [MerkleEntry] {
    let prefix = randomHash32(&generator)
    var seen = Set<Hash32>()
    var entries: [MerkleEntry] = []
    while entries.count < count {
        let shared = clustered && entries.count % 3 == 0 ? 20 : 0
        let key = randomKey(&generator, prefix: prefix, sharedByteCount: shared)
        if seen.insert(key).inserted {
            entries.append((key: key, valueHash: randomHash32(&generator)))
        }
    }
    return entries
}

/// A tree holding `entries`, inserted one by one in the given order.
func makeTree(_ entries: [MerkleEntry]) -> SparseMerkleTree {
    var tree = SparseMerkleTree()
    for entry in entries {
        tree.update(entry.key, to: entry.valueHash)
    }
    return tree
}

/// A deliberately plain reference for the root, written straight from the rules documented on
/// `SparseMerkleTree` and sharing no code with it: sort, split by bit, hash byte arrays.
enum ReferenceSparseMerkle {
    static func root(_ entries: [MerkleEntry]) -> Hash32 {
        hash(entries.sorted { $0.key < $1.key }, depth: 0)
    }

    static func bit(_ key: Hash32, _ index: Int) -> Bool {
        (key.bytes[index / 8] >> (7 - UInt8(index % 8))) & 1 == 1
    }

    static func hash(_ entries: [MerkleEntry], depth: Int) -> Hash32 {
        if entries.isEmpty {
            return .zero
        }
        if entries.count == 1 {
            return SHA256.hash([0x00] + entries[0].key.bytes + entries[0].valueHash.bytes)
        }
        let left = entries.filter { !bit($0.key, depth) }
        let right = entries.filter { bit($0.key, depth) }
        return SHA256.hash([0x01] + hash(left, depth: depth + 1).bytes + hash(right, depth: depth + 1).bytes)
    }
}

extension Array {
    /// A seeded Fisher–Yates shuffle, so permutations are the same on every run.
    func seededShuffle(_ generator: inout SplitMix64) -> [Element] {
        var result = self
        result.shuffle(using: &generator)
        return result
    }
}
