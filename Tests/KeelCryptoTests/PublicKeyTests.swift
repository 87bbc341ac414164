import KeelCrypto
import XCTest

final class PublicKeyTests: XCTestCase {
    private let validHex = "dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659"

    func testParsesValidKeyAndRoundTrips() throws {
        let key = try XCTUnwrap(PublicKey(hex: validHex))
        XCTAssertEqual(key.hex, validHex)
        XCTAssertEqual(key.description, validHex)
        XCTAssertEqual(PublicKey(bytes: key.bytes), key)
        XCTAssertEqual(PublicKey(hex: "0x" + validHex.uppercased()), key)
    }

    func testRejectsWrongLengths() throws {
        let bytes = try hexBytes(validHex)
        XCTAssertNil(PublicKey(bytes: bytes.dropLast()))
        XCTAssertNil(PublicKey(bytes: bytes + [0]))
        XCTAssertNil(PublicKey(bytes: [UInt8]()))
        XCTAssertNil(PublicKey(hex: "zz"))
    }

    func testRejectsXNotOnTheCurveOrNotAFieldElement() {
        // BIP-340 vector 5: x is below p but x³ + 7 is not a square.
        XCTAssertNil(PublicKey(hex: "eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34"))
        // The field size p itself (BIP-340 vector 14) and 2^256 - 1.
        XCTAssertNil(PublicKey(hex: "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30"))
        XCTAssertNil(PublicKey(hex: String(repeating: "ff", count: 32)))
    }

    func testEqualityAndHashingFollowTheBytes() throws {
        let first = DevnetKeys.secretKey(validatorIndex: 0).publicKey
        let again = try XCTUnwrap(PublicKey(bytes: first.bytes))
        let second = DevnetKeys.secretKey(validatorIndex: 1).publicKey
        XCTAssertEqual(first, again, "a derived key equals the same key parsed from bytes")
        XCTAssertNotEqual(first, second)
        XCTAssertEqual(Set([first, again, second]).count, 2)
    }
}
