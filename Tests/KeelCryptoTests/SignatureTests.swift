import KeelCrypto
import XCTest

final class SignatureTests: XCTestCase {
    func testBytesAndHexRoundTripInOrder() throws {
        let bytes = (0..<64).map { UInt8($0) }
        let signature = try XCTUnwrap(Signature(bytes: bytes))
        XCTAssertEqual(signature.bytes, bytes, "R half first, s half second")
        XCTAssertEqual(signature.hex, Hex.encode(bytes))
        XCTAssertEqual(Signature(hex: signature.hex), signature)
        XCTAssertEqual(Signature(bytes: (0..<64).lazy.map { UInt8($0) }), signature)
        signature.withUnsafeBytes { XCTAssertEqual(Array($0), bytes) }
    }

    func testChecksLengthOnly() {
        XCTAssertNil(Signature(bytes: [UInt8](repeating: 1, count: 63)))
        XCTAssertNil(Signature(bytes: [UInt8](repeating: 1, count: 65)))
        XCTAssertNil(Signature(bytes: [UInt8](repeating: 1, count: 32)))
        XCTAssertNil(Signature(hex: String(repeating: "ab", count: 63)))
        XCTAssertNotNil(Signature(bytes: [UInt8](repeating: 0xFF, count: 64)),
                        "out-of-range halves are a verification failure, not a parse failure")
    }

    func testEveryByteTakesPartInEquality() throws {
        let base = try XCTUnwrap(Signature(bytes: [UInt8](repeating: 0x11, count: 64)))
        for index in 0..<64 {
            var bytes = base.bytes
            bytes[index] ^= 0x01
            XCTAssertNotEqual(try XCTUnwrap(Signature(bytes: bytes)), base, "byte \(index) ignored")
        }
    }
}
