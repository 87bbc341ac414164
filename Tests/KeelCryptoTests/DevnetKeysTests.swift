import KeelCrypto
import XCTest

final class DevnetKeysTests: XCTestCase {
    func testKeysAreDeterministicAndDistinct() {
        let first = DevnetKeys.secretKey(validatorIndex: 0)
        let second = DevnetKeys.secretKey(validatorIndex: 1)
        XCTAssertEqual(first.bytes, DevnetKeys.secretKey(validatorIndex: 0).bytes)
        XCTAssertNotEqual(first.publicKey, second.publicKey)
        let publicKeys = Set((0..<64 as Range<UInt64>).map { DevnetKeys.secretKey(validatorIndex: $0).publicKey })
        XCTAssertEqual(publicKeys.count, 64)
    }

    func testKeyIsSeedOfSHA256OfLittleEndianIndex() {
        for index: UInt64 in [0, 1, 255, 256, 0x0102_0304_0506_0708, .max] {
            let littleEndian = (0..<8).map { UInt8(truncatingIfNeeded: index >> (8 * $0)) }
            let expected = SecretKey(seed: SHA256.hash(littleEndian))
            XCTAssertEqual(DevnetKeys.secretKey(validatorIndex: index).bytes, expected.bytes, "index \(index)")
        }
    }

    /// Pins the devnet keys to values computed outside Swift (Python, textbook secp256k1), so a
    /// change of byte order or hashing rule is caught even if it is applied consistently.
    func testKnownDevnetKeys() {
        let known: [(UInt64, String, String)] = [
            (0, "af5570f5a1810b7af78caf4bc70a660f0df51e42baf91d4de5b2328de0e83dfc",
             "9f70d2f39138c29cd388fcfacccb00c0c2ae8b920ba4c62e15510b5deccdee4f"),
            (1, "7c9fa136d4413fa6173637e883b6998d32e1d675f88cddff9dcbcf331820f4b8",
             "6a9d1b479d56f35483fdec1144fe1a9e90c4c074d29bde0baa91fef8a7c9de17"),
            (1000, "921ac7f259f864606624eb7fc29124712ff65b425e9500a35dd32b71ddb9332c",
             "5dc0185597250b75b3466f2db76efc018c6c59dec215741df68b15897a726e08"),
        ]
        for (index, secretHex, publicHex) in known {
            let key = DevnetKeys.secretKey(validatorIndex: index)
            XCTAssertEqual(Hex.encode(key.bytes), secretHex, "index \(index)")
            XCTAssertEqual(key.publicKey.hex, publicHex, "index \(index)")
        }
    }
}
