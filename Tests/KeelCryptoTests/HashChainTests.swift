import KeelCrypto
import XCTest

final class HashChainTests: XCTestCase {
    private let seed = SHA256.hash(Array("validator 7 randao seed".utf8))

    /// Element k of the chain, computed the obvious way.
    private func element(_ k: UInt32) -> Hash32 {
        var value = seed
        for _ in 0..<k { value = SHA256.hash(value.bytes) }
        return value
    }

    func testCommitmentIsSeedHashedLengthTimes() {
        for length: UInt32 in [1, 2, 10] {
            XCTAssertEqual(HashChain(seed: seed, length: length).commitment, element(length), "length \(length)")
        }
        XCTAssertEqual(HashChain(seed: seed, length: 1).commitment, SHA256.hash(seed))
    }

    func testRevealsVerifyInOrderUpToTheSeed() throws {
        let length: UInt32 = 10
        let chain = HashChain(seed: seed, length: length)
        var previous = chain.commitment
        for number in 1...length {
            let reveal = try XCTUnwrap(chain.reveal(number: number), "reveal \(number)")
            XCTAssertEqual(reveal, element(length - number))
            XCTAssertTrue(HashChain.verify(reveal: reveal, against: previous), "reveal \(number)")
            XCTAssertTrue(HashChain.verify(reveal: reveal, commitment: chain.commitment, distance: number))
            XCTAssertFalse(HashChain.verify(reveal: reveal, commitment: chain.commitment, distance: number - 1))
            XCTAssertFalse(HashChain.verify(reveal: reveal, commitment: chain.commitment, distance: number + 1))
            previous = reveal
        }
        XCTAssertEqual(previous, seed, "the last reveal is the seed")
    }

    func testOutOfRangeRevealsAreNil() {
        let chain = HashChain(seed: seed, length: 5)
        XCTAssertNil(chain.reveal(number: 0))
        XCTAssertNil(chain.reveal(number: 6))
        XCTAssertNil(chain.reveal(number: .max))
        XCTAssertNotNil(chain.reveal(number: 5))
    }

    func testWrongRevealsFail() throws {
        let chain = HashChain(seed: seed, length: 4)
        let first = try XCTUnwrap(chain.reveal(number: 1))
        let second = try XCTUnwrap(chain.reveal(number: 2))
        XCTAssertFalse(HashChain.verify(reveal: second, against: chain.commitment), "skipped a reveal")
        XCTAssertFalse(HashChain.verify(reveal: first, against: first), "repeated a reveal")
        XCTAssertFalse(HashChain.verify(reveal: chain.commitment, against: first), "wrong direction")
        var bytes = first.bytes
        bytes[0] ^= 1
        XCTAssertFalse(HashChain.verify(reveal: Hash32(bytes: bytes)!, against: chain.commitment))
        XCTAssertFalse(HashChain.verify(reveal: .zero, commitment: chain.commitment, distance: 1))
    }

    func testDistanceZeroMeansTheCommitmentItselfAndHugeDistancesAreRefused() {
        let chain = HashChain(seed: seed, length: 3)
        XCTAssertTrue(HashChain.verify(reveal: chain.commitment, commitment: chain.commitment, distance: 0))
        XCTAssertFalse(HashChain.verify(reveal: seed, commitment: chain.commitment, distance: 0))
        XCTAssertFalse(HashChain.verify(reveal: seed, commitment: seed, distance: HashChain.lengthMax + 1),
                       "refused before hashing")
    }

    /// Checkpointed reveals must agree with plain hashing at checkpoint boundaries, for lengths
    /// that are and are not perfect squares or multiples of the interval.
    func testCheckpointedRevealsMatchPlainHashing() throws {
        for length: UInt32 in [2, 3, 4, 5, 16, 17, 100, 1025] {
            let chain = HashChain(seed: seed, length: length)
            XCTAssertGreaterThanOrEqual(UInt64(chain.checkpointInterval) * UInt64(chain.checkpointInterval),
                                        UInt64(length))
            var expected = element(0)
            var elements = [expected]
            for _ in 0..<length {
                expected = SHA256.hash(expected)
                elements.append(expected)
            }
            XCTAssertEqual(chain.commitment, elements[Int(length)], "length \(length)")
            for number in 1...length {
                XCTAssertEqual(chain.reveal(number: number), elements[Int(length - number)],
                               "length \(length), reveal \(number)")
            }
        }
    }
}
