import KeelCrypto
import XCTest

/// `DevnetKeys.proverSecretKey`: the well-known devnet prover key.
final class DevnetProverKeyTests: XCTestCase {
    func testProverKeyIsSeedOfSHA256OfItsTag() {
        let expected = SecretKey(seed: SHA256.hash(Array("keel/devnet/prover".utf8)))
        XCTAssertEqual(DevnetKeys.proverSecretKey.bytes, expected.bytes)
        XCTAssertEqual(DevnetKeys.proverSecretKey.publicKey, expected.publicKey)
        XCTAssertEqual(DevnetKeys.proverSecretKey.bytes, DevnetKeys.proverSecretKey.bytes, "deterministic")
    }

    func testProverKeyIsNoValidatorKey() {
        let prover = DevnetKeys.proverSecretKey.publicKey
        for index: UInt64 in 0..<256 {
            XCTAssertNotEqual(DevnetKeys.secretKey(validatorIndex: index).publicKey, prover, "validator \(index)")
        }
    }
}
