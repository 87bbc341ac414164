import KeelCrypto
import XCTest

final class Hash32Tests: XCTestCase {
    private let sampleHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

    func testBytesAndHexRoundTripInOrder() throws {
        let bytes = (0..<32).map { UInt8($0) }
        let value = try XCTUnwrap(Hash32(bytes: bytes))
        XCTAssertEqual(value.bytes, bytes)
        XCTAssertEqual(value.hex, sampleHex)
        XCTAssertEqual(value.description, sampleHex)
        XCTAssertEqual(Hash32(hex: value.hex), value)
        XCTAssertEqual(Hash32(hex: "0x" + sampleHex.uppercased()), value)
        value.withUnsafeBytes { XCTAssertEqual(Array($0), bytes) }
    }

    func testInitFromNonContiguousAndSliceCollections() throws {
        let bytes = (0..<32).map { UInt8($0) }
        let expected = try XCTUnwrap(Hash32(bytes: bytes))
        XCTAssertEqual(Hash32(bytes: (0..<32).lazy.map { UInt8($0) }), expected)
        let padded = [0xAA] + bytes + [0xBB]
        XCTAssertEqual(Hash32(bytes: padded[1..<33]), expected, "slice with a non-zero start index")
        XCTAssertEqual(Hash32(bytes: bytes.reversed().reversed()), expected)
    }

    func testRejectsWrongLengths() {
        XCTAssertNil(Hash32(bytes: [UInt8](repeating: 1, count: 31)))
        XCTAssertNil(Hash32(bytes: [UInt8](repeating: 1, count: 33)))
        XCTAssertNil(Hash32(bytes: [UInt8]()))
        XCTAssertNil(Hash32(bytes: (0..<33).lazy.map { UInt8($0) }))
    }

    func testRejectsBadHex() {
        XCTAssertNil(Hash32(hex: String(sampleHex.dropLast(2))), "31 bytes")
        XCTAssertNil(Hash32(hex: sampleHex + "00"), "33 bytes")
        XCTAssertNil(Hash32(hex: String(sampleHex.dropLast())), "63 digits")
        XCTAssertNil(Hash32(hex: String(sampleHex.dropLast()) + "g"), "non-hex digit")
        XCTAssertNil(Hash32(hex: ""), "empty")
    }

    func testZeroIsAllZeroBytes() {
        XCTAssertEqual(Hash32.zero.bytes, [UInt8](repeating: 0, count: 32))
        XCTAssertEqual(Hash32(bytes: [UInt8](repeating: 0, count: 32)), .zero)
    }

    func testEveryByteTakesPartInEquality() throws {
        let base = try XCTUnwrap(Hash32(bytes: [UInt8](repeating: 0x55, count: 32)))
        for index in 0..<32 {
            var bytes = base.bytes
            bytes[index] ^= 0x01
            let changed = try XCTUnwrap(Hash32(bytes: bytes))
            XCTAssertNotEqual(changed, base, "byte \(index) ignored by ==")
            XCTAssertEqual(Set([base, changed]).count, 2)
        }
    }

    /// Within a word the first byte must dominate: comparing the raw little-endian words would
    /// order these two the wrong way.
    func testOrderingIsLexicographicByBytes() throws {
        func value(_ setBytes: [Int: UInt8]) throws -> Hash32 {
            var bytes = [UInt8](repeating: 0, count: 32)
            for (index, byte) in setBytes { bytes[index] = byte }
            return try XCTUnwrap(Hash32(bytes: bytes))
        }
        XCTAssertLessThan(try value([1: 0xFF]), try value([0: 0x01]))
        XCTAssertLessThan(try value([9: 0xFF, 31: 0xFF]), try value([8: 0x01]))
        XCTAssertLessThan(try value([31: 0x01]), try value([31: 0x02]))
        XCTAssertLessThan(Hash32.zero, try value([31: 0x01]))
        XCTAssertFalse(Hash32.zero < Hash32.zero)

        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let a = try XCTUnwrap(Hash32(bytes: (0..<32).map { _ in UInt8.random(in: 0...3, using: &generator) }))
            let b = try XCTUnwrap(Hash32(bytes: (0..<32).map { _ in UInt8.random(in: 0...3, using: &generator) }))
            XCTAssertEqual(a < b, a.bytes.lexicographicallyPrecedes(b.bytes), "\(a) vs \(b)")
        }
    }
}
