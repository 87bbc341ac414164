import KeelCrypto
import XCTest

final class SparseMerkleTreeTests: XCTestCase {
    func testEmptyTreeRootIsZero() {
        let tree = SparseMerkleTree()
        XCTAssertEqual(tree.root, .zero)
        XCTAssertEqual(tree.count, 0)
        XCTAssertNil(tree.value(for: .zero))
    }

    /// Roots computed independently (Python `hashlib`) from the documented rules, so that another
    /// implementation has vectors to check against.
    func testKnownAnswerRoots() throws {
        let k1 = try hash32(String(repeating: "00", count: 32))
        let k2 = try hash32("40" + String(repeating: "00", count: 31))
        let k3 = try hash32(String(repeating: "ff", count: 32))
        let k4 = try hash32("01" + String(repeating: "00", count: 31))
        let v1 = try hash32(String(repeating: "11", count: 32))
        let v2 = try hash32(String(repeating: "22", count: 32))
        let v3 = try hash32(String(repeating: "33", count: 32))
        XCTAssertEqual(
            makeTree([(k1, v1)]).root,
            try hash32("8e724b356ecbd683d218e82e1a5c03ccbff6bd2949257bcc7a8e35297d18e992"))
        XCTAssertEqual(
            makeTree([(k1, v1), (k2, v2), (k3, v3)]).root,
            try hash32("7b21ff8390102f00f82a22092592a03b4b974d26cd911c39937c193c4bef84fc"))
        XCTAssertEqual(
            makeTree([(k4, v2), (k1, v1)]).root,
            try hash32("6a3a0beb9c0a32e26f2e94fb6101abf6f1f5048b35d7abcd03a4ebff33dc98a2"))
        XCTAssertEqual(SparseMerkleTree.leafHash(key: k1, valueHash: v1), makeTree([(k1, v1)]).root)
    }

    func testRootMatchesReferenceForRandomSets() {
        var generator = SplitMix64(seed: 0x5EED_0001)
        for size in [0, 1, 2, 3, 17, 1000] {
            for clustered in [false, true] {
                let entries = randomEntries(size, &generator, clustered: clustered)
                let tree = makeTree(entries)
                XCTAssertEqual(tree.root, ReferenceSparseMerkle.root(entries), "size \(size) clustered \(clustered)")
                XCTAssertEqual(tree.count, size)
            }
        }
    }

    func testKeysDifferingOnlyInTheLastBitSitAtDepth256() throws {
        let a = try hash32(String(repeating: "ab", count: 31) + "fe")
        let b = try hash32(String(repeating: "ab", count: 31) + "ff")
        var generator = SplitMix64(seed: 7)
        let entries: [MerkleEntry] = [(a, randomHash32(&generator)), (b, randomHash32(&generator))]
        var tree = makeTree(entries)
        XCTAssertEqual(tree.root, ReferenceSparseMerkle.root(entries))
        XCTAssertEqual(tree.proof(for: a).siblings.count, 256)
        tree.update(b, to: nil)
        XCTAssertEqual(tree.root, SparseMerkleTree.leafHash(key: a, valueHash: entries[0].valueHash))
    }

    func testRootIsIndependentOfInsertionOrder() {
        var generator = SplitMix64(seed: 0x5EED_0002)
        for size in [2, 3, 17, 300] {
            let entries = randomEntries(size, &generator, clustered: true)
            let expected = makeTree(entries).root
            for _ in 0..<5 {
                XCTAssertEqual(makeTree(entries.seededShuffle(&generator)).root, expected, "size \(size)")
            }
        }
    }

    func testDeletingRestoresEachPreviousRootExactly() {
        var generator = SplitMix64(seed: 0x5EED_0003)
        let entries = randomEntries(400, &generator, clustered: true)
        var tree = SparseMerkleTree()
        var roots: [Hash32] = [tree.root]
        for entry in entries {
            tree.update(entry.key, to: entry.valueHash)
            roots.append(tree.root)
        }
        for (index, entry) in entries.enumerated().reversed() {
            tree.update(entry.key, to: nil)
            XCTAssertEqual(tree.root, roots[index], "after deleting entry \(index)")
            XCTAssertEqual(tree.count, index)
            XCTAssertNil(tree.value(for: entry.key))
        }
        XCTAssertEqual(tree.root, .zero)
    }

    func testDeletingInAnyOrderMatchesTheReference() {
        var generator = SplitMix64(seed: 0x5EED_0004)
        var remaining = randomEntries(120, &generator, clustered: true)
        var tree = makeTree(remaining)
        remaining = remaining.seededShuffle(&generator)
        while let entry = remaining.popLast() {
            tree.update(entry.key, to: nil)
            XCTAssertEqual(tree.root, ReferenceSparseMerkle.root(remaining))
        }
    }

    func testValuesCountAndIdempotentUpdates() {
        var generator = SplitMix64(seed: 0x5EED_0005)
        let entries = randomEntries(200, &generator)
        var tree = makeTree(entries)
        for entry in entries {
            XCTAssertEqual(tree.value(for: entry.key), entry.valueHash)
        }
        XCTAssertNil(tree.value(for: randomHash32(&generator)))
        let root = tree.root
        tree.update(entries[5].key, to: entries[5].valueHash)
        tree.update(randomHash32(&generator), to: nil)
        XCTAssertEqual(tree.root, root)
        XCTAssertEqual(tree.count, 200)
        let newValue = randomHash32(&generator)
        tree.update(entries[5].key, to: newValue)
        XCTAssertEqual(tree.value(for: entries[5].key), newValue)
        XCTAssertEqual(tree.count, 200)
        XCTAssertNotEqual(tree.root, root)
        tree.update(entries[5].key, to: entries[5].valueHash)
        XCTAssertEqual(tree.root, root)
    }

    func testBatchUpdateEqualsSequentialUpdates() {
        var generator = SplitMix64(seed: 0x5EED_0006)
        for round in 0..<20 {
            let entries = randomEntries(Int(generator.next() % 200), &generator, clustered: round % 2 == 0)
            let base = makeTree(entries)
            var batch: [(key: Hash32, valueHash: Hash32?)] = []
            for _ in 0..<Int(generator.next() % 120) {
                let choice = generator.next() % 4
                let key = entries.isEmpty || choice == 0
                    ? randomKey(&generator, prefix: entries.first?.key ?? .zero, sharedByteCount: Int(generator.next() % 4))
                    : entries[Int(generator.next() % UInt64(entries.count))].key
                let value: Hash32? = choice == 3 ? nil : randomHash32(&generator)
                batch.append((key, value))
                if generator.next() % 5 == 0 {
                    batch.append((key, generator.next() % 2 == 0 ? nil : randomHash32(&generator)))
                }
            }
            var sequential = base
            for update in batch {
                sequential.update(update.key, to: update.valueHash)
            }
            var batched = base
            batched.update(batch)
            XCTAssertEqual(batched.root, sequential.root, "round \(round)")
            XCTAssertEqual(batched.count, sequential.count, "round \(round)")
            for update in batch {
                XCTAssertEqual(batched.value(for: update.key), sequential.value(for: update.key))
            }
            var fromEmpty = SparseMerkleTree()
            fromEmpty.update(entries.map { ($0.key, $0.valueHash) })
            XCTAssertEqual(fromEmpty.root, base.root)
        }
    }

    func testBatchThatDeletesEverythingGivesTheEmptyTree() {
        var generator = SplitMix64(seed: 0x5EED_0007)
        let entries = randomEntries(50, &generator)
        var tree = makeTree(entries)
        tree.update(entries.map { (key: $0.key, valueHash: nil) })
        XCTAssertEqual(tree.root, .zero)
        XCTAssertEqual(tree.count, 0)
    }

    func testCopiesAreIndependent() {
        var generator = SplitMix64(seed: 0x5EED_0008)
        let entries = randomEntries(300, &generator)
        let original = makeTree(entries)
        let originalRoot = original.root
        var fork = original
        var otherFork = original
        for entry in entries.prefix(100) {
            fork.update(entry.key, to: nil)
        }
        fork.update(randomHash32(&generator), to: randomHash32(&generator))
        otherFork.update(entries.suffix(10).map { (key: $0.key, valueHash: Hash32.zero) })
        XCTAssertEqual(original.root, originalRoot)
        XCTAssertEqual(original.count, 300)
        for entry in entries {
            XCTAssertEqual(original.value(for: entry.key), entry.valueHash)
        }
        XCTAssertEqual(fork.count, 201)
        XCTAssertEqual(otherFork.value(for: entries[299].key), .zero)
        XCTAssertNotEqual(fork.root, originalRoot)
        XCTAssertNotEqual(otherFork.root, originalRoot)
    }
}
