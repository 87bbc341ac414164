import KeelCrypto
import KeelRandom
import XCTest
@testable import KeelStark

/// Pruned batch openings (spec/STARK.md §3): every honest opening verifies; every altered one
/// does not.
final class MerkleCommitmentTests: XCTestCase {
    private func rows(_ count: Int) -> [[Fp]] { (0..<count).map { [Fp(UInt64($0)), Fp(UInt64($0 * $0 + 7))] } }

    func testLeafHashIsTheSpecEncoding() {
        XCTAssertEqual(MerkleHashing.leaf([.zero, .one, -Fp.one]).hex,
                       "41d0150619588546a54a95f36a5c7df8a18d22ae1918a7822a5edd5527d74a00", "computed in Python")
    }

    func testEveryBatchOpeningVerifies() {
        let data = rows(32)
        let tree = MerkleCommitment(leafCount: 32) { data[$0] }
        var random = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let indices = Array(Set((0..<Int(random.next() % 12 + 1)).map { _ in Int(random.next() % 32) })).sorted()
            let siblings = tree.siblings(opening: indices)
            let leaves = indices.map { (index: $0, hash: MerkleHashing.leaf(data[$0])) }
            XCTAssertTrue(MerkleHashing.verify(root: tree.root, depth: 5, leaves: leaves, siblings: siblings))
            XCTAssertLessThanOrEqual(siblings.count, indices.count * 5, "pruning never sends more than separate paths")
        }
        let all = Array(0..<32)
        XCTAssertEqual(tree.siblings(opening: all), [], "a fully opened tree needs no siblings")
    }

    func testAlteredOpeningsAreRejected() {
        let data = rows(16)
        let tree = MerkleCommitment(leafCount: 16) { data[$0] }
        let indices = [1, 2, 9]
        let siblings = tree.siblings(opening: indices)
        let leaves = indices.map { (index: $0, hash: MerkleHashing.leaf(data[$0])) }
        XCTAssertTrue(MerkleHashing.verify(root: tree.root, depth: 4, leaves: leaves, siblings: siblings))
        for position in siblings.indices {
            for bit in [0, 77, 255] {
                var altered = siblings
                altered[position] = altered[position].flippingBit(bit)
                XCTAssertFalse(MerkleHashing.verify(root: tree.root, depth: 4, leaves: leaves, siblings: altered))
            }
        }
        var wrongLeaf = leaves
        wrongLeaf[1].hash = MerkleHashing.leaf([.one])
        XCTAssertFalse(MerkleHashing.verify(root: tree.root, depth: 4, leaves: wrongLeaf, siblings: siblings))
        var moved = leaves
        moved[2].index = 10
        XCTAssertFalse(MerkleHashing.verify(root: tree.root, depth: 4, leaves: moved, siblings: siblings))
        XCTAssertFalse(MerkleHashing.verify(root: tree.root, depth: 4, leaves: leaves, siblings: siblings + [.zero]), "a left-over hash")
        XCTAssertFalse(MerkleHashing.verify(root: tree.root, depth: 4, leaves: leaves, siblings: Array(siblings.dropLast())))
        XCTAssertFalse(MerkleHashing.verify(root: tree.root, depth: 4, leaves: leaves.reversed(), siblings: siblings), "unsorted")
        XCTAssertFalse(MerkleHashing.verify(root: tree.root, depth: 4, leaves: [leaves[0], leaves[0]], siblings: siblings), "repeated")
        XCTAssertFalse(MerkleHashing.verify(root: tree.root, depth: 4, leaves: [(index: 16, hash: leaves[0].hash)], siblings: siblings))
        XCTAssertFalse(MerkleHashing.verify(root: tree.root, depth: 3, leaves: leaves, siblings: siblings), "wrong depth")
        XCTAssertFalse(MerkleHashing.verify(root: tree.root, depth: 4, leaves: [], siblings: []))
    }
}

extension Hash32 {
    /// This value with bit `bit` (0 = the most significant bit of byte 0) flipped.
    func flippingBit(_ bit: Int) -> Hash32 {
        var bytes = self.bytes
        bytes[bit / 8] ^= 0x80 >> UInt8(bit % 8)
        return Hash32(bytes: bytes)!
    }

    var hex: String { bytes.map { String(format: "%02x", $0) }.joined() }
}
