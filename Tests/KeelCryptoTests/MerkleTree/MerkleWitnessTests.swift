import KeelCrypto
import XCTest

final class MerkleWitnessTests: XCTestCase {
    /// Present keys, absent keys near present ones, and absent keys anywhere.
    private func coveredKeys(_ entries: [MerkleEntry], _ generator: inout SplitMix64) -> [Hash32] {
        var keys: [Hash32] = []
        for _ in 0..<(1 + Int(generator.next() % 12)) where !entries.isEmpty {
            keys.append(entries[Int(generator.next() % UInt64(entries.count))].key)
        }
        for index in 0..<(1 + Int(generator.next() % 12)) {
            let near = entries.isEmpty ? .zero : entries[Int(generator.next() % UInt64(entries.count))].key
            keys.append(randomKey(&generator, prefix: near, sharedByteCount: [0, 1, 2, 20, 31][index % 5]))
        }
        return keys
    }

    func testPartialTreeTracksTheFullTreeUnderRandomUpdates() throws {
        var generator = SplitMix64(seed: 0x3117_0001)
        for (round, size) in [0, 1, 2, 3, 17, 200, 1000, 5, 60, 300].enumerated() {
            let entries = randomEntries(size, &generator, clustered: round % 2 == 1)
            var full = makeTree(entries)
            let keys = coveredKeys(entries, &generator)
            let witness = full.witness(for: keys)
            XCTAssertEqual(try MerkleWitness(decoding: witness.encoded), witness)
            var partial = try MerkleWitness(decoding: witness.encoded).partialTree(root: full.root)
            XCTAssertEqual(partial.root, full.root)
            for key in keys {
                XCTAssertEqual(try partial.value(for: key), full.value(for: key))
                XCTAssertEqual(try partial.proof(for: key), full.proof(for: key))
            }
            for step in 0..<150 {
                let key = keys[Int(generator.next() % UInt64(keys.count))]
                let value: Hash32? = generator.next() % 3 == 0 ? nil : randomHash32(&generator)
                full.update(key, to: value)
                try partial.update(key, to: value)
                XCTAssertEqual(partial.root, full.root, "round \(round) step \(step)")
                XCTAssertEqual(try partial.value(for: key), value)
            }
            let batch = keys.map { (key: $0, valueHash: generator.next() % 2 == 0 ? nil : Optional(randomHash32(&generator))) }
            full.update(batch)
            try partial.update(batch)
            XCTAssertEqual(partial.root, full.root, "round \(round) batch")
        }
    }

    /// Deleting a key leaves its sibling leaf alone; the leaf moves up, and a later insert of a
    /// covered key reaching its new position must split it, which needs the leaf's key.
    func testDeletionCollapsesASiblingLeafThatALaterInsertSplits() throws {
        let deleted = try hash32("00" + String(repeating: "00", count: 31))   // bits 0000…
        let sibling = try hash32("10" + String(repeating: "00", count: 31))   // bits 0001…
        let far = try hash32("80" + String(repeating: "00", count: 31))       // bits 1…
        let inserted = try hash32("20" + String(repeating: "00", count: 31))  // bits 0010…
        let value = try hash32(String(repeating: "77", count: 32))
        var full = makeTree([(deleted, value), (sibling, value), (far, value)])
        var partial = try full.witness(for: [deleted, inserted]).partialTree(root: full.root)
        XCTAssertNil(try partial.value(for: inserted))
        XCTAssertEqual(try partial.value(for: sibling), value)
        for (key, newValue) in [(deleted, nil), (inserted, value), (deleted, value), (sibling, nil), (inserted, nil)] {
            full.update(key, to: newValue)
            try partial.update(key, to: newValue)
            XCTAssertEqual(partial.root, full.root)
        }
        XCTAssertEqual(full.root, ReferenceSparseMerkle.root([(deleted, value), (far, value)]))
    }

    func testUncoveredKeysThrowAndLeaveTheTreeUnchanged() throws {
        var generator = SplitMix64(seed: 0x3117_0002)
        let entries = randomEntries(500, &generator)
        let full = makeTree(entries)
        let covered = [entries[0].key, entries[1].key, randomHash32(&generator)]
        var partial = try full.witness(for: covered).partialTree(root: full.root)
        var notCovered = 0
        for _ in 0..<200 {
            let key = randomHash32(&generator)
            do throws(PartialMerkleTreeError) {
                let value = try partial.value(for: key)
                XCTAssertEqual(value, full.value(for: key))
            } catch {
                XCTAssertEqual(error, .keyNotCovered(key))
                XCTAssertThrowsError(try partial.update(key, to: .zero))
                XCTAssertThrowsError(try partial.update([(covered[0], nil), (key, .zero)]))
                XCTAssertEqual(partial.root, full.root)
                notCovered += 1
            }
        }
        XCTAssertGreaterThan(notCovered, 150)
        let nothing = try full.witness(for: []).partialTree(root: full.root)
        XCTAssertEqual(nothing.root, full.root)
        XCTAssertThrowsError(try nothing.value(for: entries[0].key)) { error in
            XCTAssertEqual(error as? PartialMerkleTreeError, .keyNotCovered(entries[0].key))
        }
    }

    /// Each branch on the union of the keys' paths appears once, with its two children: a
    /// witness has exactly `2 · branches + 1` nodes, however many keys share a path.
    func testWitnessSharesNodesAndIgnoresKeyOrderAndRepeats() {
        var generator = SplitMix64(seed: 0x3117_0003)
        let entries = randomEntries(1000, &generator, clustered: true)
        let tree = makeTree(entries)
        let keys = entries.prefix(40).map(\.key) + (0..<40).map { _ in randomHash32(&generator) }
        let witness = tree.witness(for: keys)
        XCTAssertEqual(tree.witness(for: keys.reversed() + keys), witness)
        var branchPositions = Set<[UInt8]>()
        for key in keys {
            let depth = tree.proof(for: key).siblings.count
            for level in 0..<depth {
                var bytes = key.bytes
                for bit in level..<256 {
                    bytes[bit / 8] &= ~(0x80 >> UInt8(bit % 8))
                }
                branchPositions.insert(bytes + [UInt8(level)])
            }
        }
        XCTAssertEqual(witness.nodeCount, 2 * branchPositions.count + 1)
        let proofBytes = keys.map { tree.proof(for: $0).encoded.count }.reduce(0, +)
        XCTAssertLessThan(witness.encoded.count, proofBytes)
    }

    func testTamperedWitnessesFailToRebuild() throws {
        var generator = SplitMix64(seed: 0x3117_0004)
        let entries = randomEntries(60, &generator, clustered: true)
        let tree = makeTree(entries)
        let encoded = tree.witness(for: [entries[3].key, entries[9].key, randomHash32(&generator)]).encoded
        XCTAssertNoThrow(try MerkleWitness(decoding: encoded).partialTree(root: tree.root))
        for index in encoded.indices {
            for flip: UInt8 in [0x01, 0x80] {
                var tampered = encoded
                tampered[index] ^= flip
                XCTAssertThrowsError(try MerkleWitness(decoding: tampered).partialTree(root: tree.root), "byte \(index)")
            }
        }
        for length in 0..<encoded.count {
            XCTAssertThrowsError(try MerkleWitness(decoding: encoded.prefix(length)), "length \(length)")
        }
        XCTAssertThrowsError(try MerkleWitness(decoding: encoded + [0x00])) { error in
            XCTAssertEqual(error as? MerkleWitnessError, .trailingBytes(offset: encoded.count, count: 1))
        }
        let wrongRoot = randomHash32(&generator)
        XCTAssertThrowsError(try MerkleWitness(decoding: encoded).partialTree(root: wrongRoot)) { error in
            XCTAssertEqual(error as? MerkleWitnessError, .rootMismatch(expected: wrongRoot, actual: tree.root))
        }
    }

    func testMalformedWitnessesAreRejectedWithReasons() throws {
        let zeros = [UInt8](repeating: 0, count: 32)
        let ones = [UInt8](repeating: 0xFF, count: 32)
        XCTAssertEqual(error([]), .truncated(offset: 0, needed: 1))
        XCTAssertEqual(error([0x03, 0x00]), .truncated(offset: 2, needed: 1))
        XCTAssertEqual(error([0x01] + zeros), .truncated(offset: 1, needed: 64))
        XCTAssertEqual(error([0x00, 0x00]), .trailingBytes(offset: 1, count: 1))
        XCTAssertEqual(error([0x04]), .badNodeTag(offset: 0, tag: 4))
        let deepest = [UInt8](repeating: 0x03, count: 256)
        XCTAssertEqual(error(deepest + [0x03]), .branchTooDeep(offset: 256))
        XCTAssertEqual(error(deepest + [0x02] + ones + ones), .branchTooDeep(offset: 256))
        XCTAssertEqual(error([0x03, 0x00, 0x00]), .nonCompactBranch(nodeIndex: 0))
        XCTAssertEqual(error([0x03, 0x01] + zeros + ones + [0x00]), .nonCompactBranch(nodeIndex: 0))
        XCTAssertEqual(error([0x02] + zeros + zeros), .nonCompactBranch(nodeIndex: 0))
        XCTAssertEqual(error([0x03, 0x01] + ones + ones + [0x01] + ones + zeros), .leafOffPath(nodeIndex: 1, key: Hash32(bytes: ones)!))
        XCTAssertEqual(try MerkleWitness(decoding: [0x00]).partialTree(root: .zero).root, .zero)
    }

    /// Decodes and rebuilds against the zero root, returning the first error.
    private func error(_ bytes: [UInt8]) -> MerkleWitnessError? {
        do {
            _ = try MerkleWitness(decoding: bytes).partialTree(root: .zero)
            return nil
        } catch {
            return error
        }
    }
}
