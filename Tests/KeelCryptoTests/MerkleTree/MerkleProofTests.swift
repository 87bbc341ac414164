import KeelCrypto
import XCTest

final class MerkleProofTests: XCTestCase {
    /// A clustered tree, so that exclusion proofs end both at empty subtrees and at other keys'
    /// leaves, with some zero siblings along shared prefixes.
    private func fixture(seed: UInt64, size: Int = 300) -> (SparseMerkleTree, [MerkleEntry], [Hash32]) {
        var generator = SplitMix64(seed: seed)
        let entries = randomEntries(size, &generator, clustered: true)
        var absent: [Hash32] = []
        for index in 0..<200 {
            let near = entries[index % entries.count].key
            absent.append(randomKey(&generator, prefix: near, sharedByteCount: index % 3 == 0 ? 1 : 20))
        }
        return (makeTree(entries), entries, absent)
    }

    func testInclusionAndExclusionProofsVerify() {
        let (tree, entries, absent) = fixture(seed: 0x9800_0001)
        for entry in entries {
            let proof = tree.proof(for: entry.key)
            XCTAssertTrue(proof.verify(key: entry.key, valueHash: entry.valueHash, root: tree.root))
            XCTAssertEqual(proof.terminal, .leaf(key: entry.key, valueHash: entry.valueHash))
        }
        var emptyTerminals = 0
        var leafTerminals = 0
        for key in absent {
            let proof = tree.proof(for: key)
            XCTAssertTrue(proof.verify(key: key, valueHash: nil, root: tree.root))
            if case .empty = proof.terminal {
                emptyTerminals += 1
            } else {
                leafTerminals += 1
            }
        }
        XCTAssertGreaterThan(emptyTerminals, 0)
        XCTAssertGreaterThan(leafTerminals, 0)
    }

    func testProofsInTinyTrees() {
        var generator = SplitMix64(seed: 0x9800_0002)
        let key = randomHash32(&generator)
        let empty = SparseMerkleTree()
        XCTAssertTrue(empty.proof(for: key).verify(key: key, valueHash: nil, root: .zero))
        XCTAssertFalse(empty.proof(for: key).verify(key: key, valueHash: .zero, root: .zero))
        let entries = randomEntries(1, &generator)
        let single = makeTree(entries)
        let proof = single.proof(for: entries[0].key)
        XCTAssertTrue(proof.siblings.isEmpty)
        XCTAssertTrue(proof.verify(key: entries[0].key, valueHash: entries[0].valueHash, root: single.root))
        XCTAssertTrue(single.proof(for: key).verify(key: key, valueHash: nil, root: single.root))
    }

    func testProofsFailForWrongClaims() {
        let (tree, entries, absent) = fixture(seed: 0x9800_0003)
        var generator = SplitMix64(seed: 99)
        for entry in entries.prefix(60) {
            let proof = tree.proof(for: entry.key)
            let otherValue = randomHash32(&generator)
            XCTAssertFalse(proof.verify(key: entry.key, valueHash: otherValue, root: tree.root), "wrong value")
            XCTAssertFalse(proof.verify(key: entry.key, valueHash: entry.valueHash, root: otherValue), "wrong root")
            XCTAssertFalse(proof.verify(key: entry.key, valueHash: nil, root: tree.root), "present claimed absent")
            let forgedAbsence = MerkleProof(siblings: proof.siblings, terminal: .empty)
            XCTAssertFalse(forgedAbsence.verify(key: entry.key, valueHash: nil, root: tree.root), "forged absence")
            let other = entries[(entries.firstIndex { $0.key == entry.key }! + 1) % entries.count]
            XCTAssertFalse(proof.verify(key: other.key, valueHash: entry.valueHash, root: tree.root), "other key")
        }
        for key in absent.prefix(60) {
            let proof = tree.proof(for: key)
            XCTAssertFalse(proof.verify(key: key, valueHash: randomHash32(&generator), root: tree.root), "absent claimed present")
            XCTAssertFalse(proof.verify(key: key, valueHash: nil, root: randomHash32(&generator)), "wrong root")
        }
    }

    func testFlippingAnySiblingBitBreaksTheProof() {
        let (tree, entries, absent) = fixture(seed: 0x9800_0004, size: 100)
        for (key, value) in [(entries[3].key, Optional(entries[3].valueHash)), (absent[1], nil), (absent[2], nil)] {
            let proof = tree.proof(for: key)
            XCTAssertTrue(proof.verify(key: key, valueHash: value, root: tree.root))
            for level in proof.siblings.indices {
                for bit in [0, 77, 255] {
                    var bytes = proof.siblings[level].bytes
                    bytes[bit / 8] ^= 0x80 >> UInt8(bit % 8)
                    var siblings = proof.siblings
                    siblings[level] = Hash32(bytes: bytes)!
                    let tampered = MerkleProof(siblings: siblings, terminal: proof.terminal)
                    XCTAssertFalse(tampered.verify(key: key, valueHash: value, root: tree.root), "level \(level) bit \(bit)")
                }
            }
            let shortened = MerkleProof(siblings: proof.siblings.dropLast(), terminal: proof.terminal)
            XCTAssertFalse(shortened.verify(key: key, valueHash: value, root: tree.root))
        }
    }

    func testEncodingRoundTripsAndIsCompact() throws {
        let (tree, entries, absent) = fixture(seed: 0x9800_0005)
        for key in entries.prefix(50).map(\.key) + absent.prefix(50) {
            let proof = tree.proof(for: key)
            let encoded = proof.encoded
            XCTAssertEqual(try MerkleProof(decoding: encoded), proof)
            XCTAssertEqual(try MerkleProof(decoding: encoded[...]), proof)
            let nonZero = proof.siblings.filter { $0 != .zero }.count
            let leafBytes = proof.terminal == .empty ? 0 : 64
            XCTAssertEqual(encoded.count, 3 + leafBytes + (proof.siblings.count + 7) / 8 + 32 * nonZero)
        }
    }

    func testDecodingRejectsTruncatedAndExtendedEncodings() {
        let (tree, entries, absent) = fixture(seed: 0x9800_0006, size: 60)
        for key in [entries[0].key, absent[0], absent[1]] {
            let encoded = tree.proof(for: key).encoded
            for length in 0..<encoded.count {
                XCTAssertThrowsError(try MerkleProof(decoding: encoded.prefix(length)), "length \(length)")
            }
            XCTAssertThrowsError(try MerkleProof(decoding: encoded + [0])) { error in
                XCTAssertEqual(error as? MerkleProofError, .trailingBytes(offset: encoded.count, count: 1))
            }
        }
    }

    func testDecodingRejectsMalformedFields() {
        XCTAssertEqual(decodingError([0x02, 0x00, 0x00]), .badTerminalTag(offset: 0, tag: 2))
        XCTAssertEqual(decodingError([0x00, 0x01, 0x01]), .siblingCountAboveMax(offset: 1, count: 257))
        XCTAssertEqual(decodingError([0x00]), .truncated(offset: 0, needed: 3))
        XCTAssertEqual(decodingError([0x01, 0x00, 0x00] + [UInt8](repeating: 1, count: 63)), .truncated(offset: 3, needed: 64))
        // One sibling: the bitmap byte may use only its top bit.
        XCTAssertEqual(decodingError([0x00, 0x00, 0x01, 0x40]), .paddingBitSet(offset: 3))
        XCTAssertEqual(decodingError([0x00, 0x00, 0x01, 0x80] + [UInt8](repeating: 0, count: 32)),
                       .zeroSiblingEncoded(offset: 4, index: 0))
        XCTAssertEqual(decodingError([0x00, 0x00, 0x01, 0x80] + [UInt8](repeating: 1, count: 31)),
                       .truncated(offset: 4, needed: 32))
        XCTAssertEqual(try MerkleProof(decoding: [0x00, 0x00, 0x00]), MerkleProof(siblings: [], terminal: .empty))
    }

    func testLongestProofEncodesAndVerifies() throws {
        let a = try hash32(String(repeating: "5a", count: 32))
        var bytes = a.bytes
        bytes[31] ^= 1
        let b = Hash32(bytes: bytes)!
        var generator = SplitMix64(seed: 5)
        let entries = (0..<40).map { _ in (key: randomHash32(&generator), valueHash: randomHash32(&generator)) }
            + [(key: a, valueHash: Hash32.zero), (key: b, valueHash: Hash32.zero)]
        let tree = makeTree(entries)
        let proof = tree.proof(for: a)
        XCTAssertEqual(proof.siblings.count, MerkleProof.siblingCountMax)
        XCTAssertTrue(try MerkleProof(decoding: proof.encoded).verify(key: a, valueHash: .zero, root: tree.root))
        XCTAssertLessThanOrEqual(proof.encoded.count, 3 + 64 + 32 + 256 * 32)
    }

    private func decodingError(_ bytes: [UInt8]) -> MerkleProofError? {
        do {
            _ = try MerkleProof(decoding: bytes)
            return nil
        } catch {
            return error
        }
    }
}
