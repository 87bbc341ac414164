import KeelCrypto
import XCTest

final class SecretKeySigningTests: XCTestCase {
    private func key(_ index: UInt64) -> SecretKey {
        DevnetKeys.secretKey(validatorIndex: index)
    }

    func testSignVerifyRoundTrip() {
        for index in 0..<8 as Range<UInt64> {
            let message = SHA256.hash(Array("block \(index)".utf8))
            let signature = key(index).sign(message)
            XCTAssertTrue(key(index).publicKey.isValidSignature(signature, for: message))
            XCTAssertTrue(key(index).publicKey.isValidSignature(signature, forMessage: message.bytes))
        }
    }

    func testSigningIsDeterministicAndAuxiliaryRandomnessOnlyChangesTheNonce() {
        let message = SHA256.hash(Array("attestation".utf8))
        let auxiliary = SHA256.hash(Array("aux".utf8))
        XCTAssertEqual(key(3).sign(message), key(3).sign(message))
        XCTAssertEqual(key(3).sign(message), key(3).sign(message, auxiliaryRandomness: .zero))
        let other = key(3).sign(message, auxiliaryRandomness: auxiliary)
        XCTAssertNotEqual(other, key(3).sign(message))
        XCTAssertTrue(key(3).publicKey.isValidSignature(other, for: message))
    }

    func testTamperedMessageFails() {
        let message = SHA256.hash(Array("transfer 10".utf8))
        let signature = key(1).sign(message)
        for byteIndex in [0, 7, 8, 31] {
            var bytes = message.bytes
            bytes[byteIndex] ^= 0x01
            let tampered = Hash32(bytes: bytes)!
            XCTAssertFalse(key(1).publicKey.isValidSignature(signature, for: tampered), "byte \(byteIndex)")
        }
        XCTAssertFalse(key(1).publicKey.isValidSignature(signature, forMessage: message.bytes + [0]))
        XCTAssertFalse(key(1).publicKey.isValidSignature(signature, forMessage: Array(message.bytes.dropLast())))
    }

    func testTamperedSignatureFails() {
        let message = SHA256.hash(Array("vote".utf8))
        let signature = key(2).sign(message)
        for byteIndex in [0, 31, 32, 63] {
            var bytes = signature.bytes
            bytes[byteIndex] ^= 0x80
            let tampered = Signature(bytes: bytes)!
            XCTAssertFalse(key(2).publicKey.isValidSignature(tampered, for: message), "byte \(byteIndex)")
        }
    }

    func testSignatureUnderAnotherKeyFails() {
        let message = SHA256.hash(Array("exit".utf8))
        XCTAssertFalse(key(4).publicKey.isValidSignature(key(5).sign(message), for: message))
    }

    func testVariableLengthMessagesRoundTripAndDoNotCollide() {
        let messages: [[UInt8]] = [[], [0], [0, 0], Array(repeating: 7, count: 100)]
        let signatures = messages.map { key(6).sign(message: $0) }
        for (message, signature) in zip(messages, signatures) {
            XCTAssertTrue(key(6).publicKey.isValidSignature(signature, forMessage: message), "\(message.count)")
        }
        XCTAssertFalse(key(6).publicKey.isValidSignature(signatures[1], forMessage: messages[2]),
                       "length is part of the message")
        XCTAssertFalse(key(6).publicKey.isValidSignature(signatures[0], forMessage: messages[1]))
    }
}
