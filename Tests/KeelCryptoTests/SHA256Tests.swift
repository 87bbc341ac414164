import Dispatch
import KeelCrypto
import XCTest

/// Standard vectors from FIPS 180-2 / NIST CAVS, plus the relations between the entry points.
final class SHA256Tests: XCTestCase {
    private let emptyDigest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    private let abcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    private let twoBlockMessage = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
    private let twoBlockDigest = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    private let millionADigest = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"

    func testStandardVectorsOneShot() {
        XCTAssertEqual(SHA256.hash([UInt8]()).hex, emptyDigest)
        XCTAssertEqual(SHA256.hash(Array("abc".utf8)).hex, abcDigest)
        XCTAssertEqual(SHA256.hash(Array(twoBlockMessage.utf8)).hex, twoBlockDigest)
        XCTAssertEqual(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)).hex,
                       millionADigest)
    }

    func testStandardVectorsThroughEveryOverload() {
        let abc = Array("abc".utf8)
        XCTAssertEqual(SHA256.hash("abc".utf8).hex, abcDigest, "generic, non-array collection")
        XCTAssertEqual(SHA256.hash(abc.lazy.map { $0 }).hex, abcDigest, "non-contiguous collection")
        XCTAssertEqual(SHA256.hash(([0] + abc + [0])[1..<4]).hex, abcDigest, "slice")
        XCTAssertEqual(abc.withUnsafeBytes { SHA256.hash(bytes: $0) }.hex, abcDigest, "raw buffer")
        XCTAssertEqual(SHA256.hash(ArraySlice<UInt8>()).hex, emptyDigest)
    }

    func testMillionAIncrementally() {
        var hasher = SHA256.Hasher()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 {
            hasher.update(chunk)
        }
        XCTAssertEqual(hasher.finalize().hex, millionADigest)
    }

    func testIncrementalEqualsOneShotOnRandomSplits() {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<100 {
            let length = Int.random(in: 0...300, using: &generator)
            let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var hasher = SHA256.Hasher()
            var start = 0
            while start < length {
                let end = min(length, start + Int.random(in: 0...70, using: &generator))
                if Bool.random(using: &generator) {
                    hasher.update(message[start..<end])
                } else {
                    hasher.update(Array(message[start..<end]))
                }
                start = end
            }
            XCTAssertEqual(hasher.finalize(), SHA256.hash(message), "length \(length)")
        }
    }

    func testFinalizeLeavesHasherUsableAndCopiesFork() {
        var hasher = SHA256.Hasher()
        hasher.update(Array("ab".utf8))
        let fork = hasher
        XCTAssertEqual(hasher.finalize(), hasher.finalize(), "finalize must not change the state")
        hasher.update(Array("c".utf8))
        XCTAssertEqual(hasher.finalize().hex, abcDigest)
        XCTAssertEqual(fork.finalize(), SHA256.hash(Array("ab".utf8)), "a copy is independent")
        XCTAssertEqual(SHA256.Hasher().finalize().hex, emptyDigest)
    }

    func testPairHashEqualsHashOfConcatenation() throws {
        var generator = SplitMix64(seed: 9)
        for _ in 0..<50 {
            let a = try XCTUnwrap(Hash32(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }))
            let b = try XCTUnwrap(Hash32(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }))
            XCTAssertEqual(SHA256.hash(a, b), SHA256.hash(a.bytes + b.bytes))
            XCTAssertNotEqual(SHA256.hash(a, b), SHA256.hash(b, a), "order of children matters")
            var hasher = SHA256.Hasher()
            hasher.update(a)
            hasher.update(b)
            XCTAssertEqual(hasher.finalize(), SHA256.hash(a, b))
        }
        // A fixed value, so a consistent bug in both paths is still caught.
        XCTAssertEqual(SHA256.hash(Hash32.zero, Hash32.zero).hex,
                       "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b")
    }

    func testSingleValueHashEqualsHashOfBytes() {
        XCTAssertEqual(SHA256.hash(Hash32.zero), SHA256.hash([UInt8](repeating: 0, count: 32)))
        XCTAssertEqual(SHA256.hash(Hash32.zero).hex,
                       "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925")
    }

    /// Catches any hashing state shared between threads: concurrent results must equal serial ones.
    func testConcurrentHashingMatchesSerial() {
        let inputs = (0..<256).map { index in [UInt8](repeating: UInt8(index), count: 64 + index) }
        @Sendable func work(_ input: [UInt8]) -> Hash32 {
            var value = SHA256.hash(input)
            var hasher = SHA256.Hasher()
            for _ in 0..<50 {
                value = SHA256.hash(SHA256.hash(input), SHA256.hash(value, value))
                hasher.update(value)
            }
            return SHA256.hash(value, hasher.finalize())
        }
        let expected = inputs.map(work)
        let results = ResultBox(count: inputs.count)
        DispatchQueue.concurrentPerform(iterations: inputs.count) { index in
            results.set(index, work(inputs[index]))
        }
        XCTAssertEqual(results.values, expected)
    }
}

/// A lock-protected array of results written by concurrent test iterations.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Hash32?]

    init(count: Int) {
        storage = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ value: Hash32) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Hash32] {
        lock.lock()
        defer { lock.unlock() }
        return storage.map { $0 ?? .zero }
    }
}
