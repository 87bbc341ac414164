import Dispatch
import KeelCrypto
import XCTest

final class SecretKeyTests: XCTestCase {
    /// x(G), the public key of secret key 1 and of n - 1 (which is -1, with the same x).
    private let generatorX = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"

    func testRejectsScalarsOutsideOneToCurveOrder() throws {
        let n = try hexBytes(curveOrderHex)
        var nPlusOne = n
        nPlusOne[31] += 1
        XCTAssertNil(SecretKey(bytes: [UInt8](repeating: 0, count: 32)), "zero")
        XCTAssertNil(SecretKey(bytes: n), "n")
        XCTAssertNil(SecretKey(bytes: nPlusOne), "n + 1")
        XCTAssertNil(SecretKey(bytes: [UInt8](repeating: 0xFF, count: 32)), "2^256 - 1")
        XCTAssertNil(SecretKey(bytes: [UInt8](repeating: 1, count: 31)), "31 bytes")
        XCTAssertNil(SecretKey(bytes: [UInt8](repeating: 1, count: 33)), "33 bytes")
    }

    func testAcceptsTheEndsOfTheRange() throws {
        var nMinusOne = try hexBytes(curveOrderHex)
        nMinusOne[31] -= 1
        let one = [UInt8](repeating: 0, count: 31) + [1]
        XCTAssertEqual(try XCTUnwrap(SecretKey(bytes: one)).publicKey.hex, generatorX)
        XCTAssertEqual(try XCTUnwrap(SecretKey(bytes: nMinusOne)).publicKey.hex, generatorX,
                       "-G has the same x-only key as G")
    }

    func testBytesRoundTripAndDescriptionHidesTheSecret() throws {
        let secret = try hexBytes("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef")
        let key = try XCTUnwrap(SecretKey(bytes: secret))
        XCTAssertEqual(key.bytes, secret)
        XCTAssertEqual(key.publicKey.hex, "dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659")
        for text in [key.description, key.debugDescription, String(describing: key), String(reflecting: key)] {
            XCTAssertFalse(text.contains("b7e151628aed"), "secret leaked into: \(text)")
            XCTAssertTrue(text.contains(key.publicKey.hex))
        }
    }

    func testSeedBelowCurveOrderIsUsedAsIs() throws {
        let seed = try hash32("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef")
        XCTAssertEqual(SecretKey(seed: seed).bytes, seed.bytes)
        var nMinusOne = try hexBytes(curveOrderHex)
        nMinusOne[31] -= 1
        XCTAssertEqual(SecretKey(seed: try XCTUnwrap(Hash32(bytes: nMinusOne))).bytes, nMinusOne)
    }

    func testSeedAtOrAboveCurveOrderIsReducedOnce() throws {
        var nPlusOne = try hexBytes(curveOrderHex)
        nPlusOne[31] += 1
        let fromNPlusOne = SecretKey(seed: try XCTUnwrap(Hash32(bytes: nPlusOne)))
        XCTAssertEqual(fromNPlusOne.bytes, [UInt8](repeating: 0, count: 31) + [1])
        XCTAssertEqual(fromNPlusOne.publicKey.hex, generatorX)
        // 2^256 - 1 - n, the largest possible reduced value.
        let fromMax = SecretKey(seed: try hash32(String(repeating: "ff", count: 32)))
        XCTAssertEqual(Hex.encode(fromMax.bytes),
                       "000000000000000000000000000000014551231950b75fc4402da1732fc9bebe")
    }

    /// Seeds 0 and n reduce to zero, so the seed is re-hashed; values computed independently.
    func testSeedReducingToZeroIsRehashed() throws {
        let fromZero = SecretKey(seed: .zero)
        XCTAssertEqual(Hex.encode(fromZero.bytes), SHA256.hash(Hash32.zero).hex)
        XCTAssertEqual(fromZero.publicKey.hex, "ee0b1602eb18fef7986887a7e8769a30c9df981d33c8380d255edef003abdcd2")
        let n = try hash32(curveOrderHex)
        let fromN = SecretKey(seed: n)
        XCTAssertEqual(Hex.encode(fromN.bytes), "3717939056ee94b1054210ce2b27284d9a8ac5e2880e326d53feb8d4cbb89907")
        XCTAssertEqual(fromN.bytes, SHA256.hash(n).bytes)
        XCTAssertEqual(fromN.publicKey.hex, "d3cf4e749664309a732c3db012f8112d729155a42552574f7a8b78bd3ba8ebb8")
    }

    /// Signing and verification from many threads at once must match serial results, which
    /// catches a shared mutable libsecp256k1 context.
    func testConcurrentSigningMatchesSerial() {
        let count = 64
        @Sendable func work(_ index: Int) -> (Signature, Bool) {
            let key = DevnetKeys.secretKey(validatorIndex: UInt64(index))
            let message = SHA256.hash([UInt8(index)])
            let signature = key.sign(message)
            return (signature, key.publicKey.isValidSignature(signature, for: message))
        }
        let expected = (0..<count).map { work($0).0 }
        let results = ResultBox(count: count)
        let failures = ResultBox(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let (signature, valid) = work(index)
            results.set(index, SHA256.hash(signature.bytes))
            failures.set(index, valid ? .zero : SHA256.hash([]))
        }
        XCTAssertEqual(results.values, expected.map { SHA256.hash($0.bytes) })
        XCTAssertEqual(failures.values, [Hash32](repeating: .zero, count: count))
    }
}
