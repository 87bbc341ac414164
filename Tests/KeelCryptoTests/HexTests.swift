import KeelCrypto
import XCTest

final class HexTests: XCTestCase {
    func testEncodeIsLowercaseWithoutPrefix() {
        XCTAssertEqual(Hex.encode([0x00, 0x0F, 0xA0, 0xFF]), "000fa0ff")
        XCTAssertEqual(Hex.encode([]), "")
    }

    func testDecodeAcceptsPrefixAndEitherCase() {
        XCTAssertEqual(Hex.decode("0x00fFaB"), [0x00, 0xFF, 0xAB])
        XCTAssertEqual(Hex.decode("0X00FFab"), [0x00, 0xFF, 0xAB])
        XCTAssertEqual(Hex.decode(""), [])
        XCTAssertEqual(Hex.decode("0x"), [])
    }

    func testDecodeRejectsMalformedText() {
        XCTAssertNil(Hex.decode("abc"), "odd digit count")
        XCTAssertNil(Hex.decode("0g"), "non-hex digit")
        XCTAssertNil(Hex.decode("00 11"), "separator")
        XCTAssertNil(Hex.decode(" 0011"), "leading space")
        XCTAssertNil(Hex.decode("0x0x00"), "double prefix")
        XCTAssertNil(Hex.decode("x00"), "half prefix")
        XCTAssertNil(Hex.decode("éé"), "non-ASCII")
    }

    func testRoundTripOfAllByteValues() {
        let bytes = (0...255).map { UInt8($0) }
        XCTAssertEqual(Hex.decode(Hex.encode(bytes)), bytes)
        XCTAssertEqual(Hex.decode(Hex.encode(bytes).uppercased()), bytes)
    }
}
