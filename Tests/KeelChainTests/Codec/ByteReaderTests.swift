import KeelChain
import KeelCrypto
import KeelVM
import XCTest

final class ByteReaderTests: XCTestCase {
    func testReadsWhatTheWriterWrites() throws {
        var writer = ByteWriter()
        writer.write(UInt8(0xAB))
        writer.write(UInt32(0xDEAD_BEEF))
        writer.write(UInt64.max - 1)
        writer.write(true)
        writer.write(Hash32(bytes: Array(0..<32))!)
        writer.write(Signature(bytes: Array(0..<64))!)
        writer.write(CodecGenerator.keys[3])
        var reader = ByteReader(writer.bytes)
        XCTAssertEqual(try reader.readUInt8(), 0xAB)
        XCTAssertEqual(try reader.readUInt32(), 0xDEAD_BEEF)
        XCTAssertEqual(try reader.readUInt64(), UInt64.max - 1)
        XCTAssertEqual(try reader.readBool(), true)
        XCTAssertEqual(try reader.readHash32(), Hash32(bytes: Array(0..<32))!)
        XCTAssertEqual(try reader.readSignature(), Signature(bytes: Array(0..<64))!)
        XCTAssertEqual(try reader.readPublicKey(), CodecGenerator.keys[3])
        XCTAssertEqual(reader.remaining, 0)
        XCTAssertTrue(reader.isAtEnd)
        XCTAssertNoThrow(try reader.expectEnd(of: "test"))
    }

    /// Roots and signatures are loaded straight from memory; they must agree with the byte
    /// initializers of KeelCrypto, byte for byte, at any alignment.
    func testFixedSizeValuesMatchTheirByteInitializers() throws {
        var generator = CodecGenerator(seed: 31)
        for offset in 0..<9 {
            let bytes = generator.bytes(count: offset + 64)
            var reader = ByteReader(bytes)
            _ = try reader.readBytes(count: offset)
            var copy = reader
            XCTAssertEqual(try reader.readHash32(), Hash32(bytes: bytes[offset..<offset + 32]))
            let signature = try copy.readSignature()
            XCTAssertEqual(signature, Signature(bytes: bytes[offset...]))
            XCTAssertEqual(signature.bytes, Array(bytes[offset...]))
        }
    }

    func testSliceKeepsItsOwnIndices() throws {
        let bytes: [UInt8] = [0xFF, 0xFF, 1, 0, 0, 0, 0, 0, 0, 0, 0xFF]
        var reader = ByteReader(bytes[2..<10])
        XCTAssertEqual(reader.remaining, 8)
        XCTAssertEqual(try reader.readUInt64(), 1)
        XCTAssertEqual(reader.offset, 8)
        XCTAssertTrue(reader.isAtEnd)
    }

    func testTruncatedReadsNameTheTypeAndLeaveTheCursor() {
        var reader = ByteReader([1, 2, 3])
        XCTAssertThrowsError(try reader.readUInt64("Epoch")) { error in
            XCTAssertEqual(error as? DecodingError, .truncated(type: "Epoch", needed: 8, available: 3))
        }
        XCTAssertEqual(reader.remaining, 3)
        XCTAssertThrowsError(try reader.readHash32()) { error in
            XCTAssertEqual(error as? DecodingError, .truncated(type: "Hash32", needed: 32, available: 3))
        }
    }

    func testTrailingBytesAreReported() {
        var reader = ByteReader([1, 2, 3])
        _ = try? reader.readUInt8()
        XCTAssertThrowsError(try reader.expectEnd(of: "Thing")) { error in
            XCTAssertEqual(error as? DecodingError, .trailingBytes(type: "Thing", count: 2))
        }
    }

    func testBoolRejectsBytesOtherThanZeroAndOne() {
        var reader = ByteReader([2])
        XCTAssertThrowsError(try reader.readBool("flag")) { error in
            XCTAssertEqual(
                error as? DecodingError, .invalidValue(field: "flag", reason: "bool byte 2 is neither 0 nor 1"))
        }
    }

    func testCountOverItsLimitIsRejectedBeforeTheElements() {
        var reader = ByteReader([0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertThrowsError(try reader.readCount("list", limit: 10, elementByteCountMin: 1)) { error in
            XCTAssertEqual(error as? DecodingError, .listTooLong(field: "list", count: 0xFFFF_FFFF, limit: 10))
        }
    }

    func testCountTheInputCannotHoldIsTruncatedAtOnce() {
        // 3 elements of at least 40 bytes each cannot fit in the 4 bytes after the count.
        var reader = ByteReader([3, 0, 0, 0, 1, 2, 3, 4])
        XCTAssertThrowsError(try reader.readCount("list", limit: 10, elementByteCountMin: 40)) { error in
            XCTAssertEqual(error as? DecodingError, .truncated(type: "list", needed: 120, available: 4))
        }
    }

    func testFieldElementsMustBeBelowTheModulus() {
        var writer = ByteWriter()
        writer.writeLengthPrefixed([0, KoalaBear.p - 1, KoalaBear.p] as [UInt32])
        var reader = ByteReader(writer.bytes)
        XCTAssertThrowsError(try reader.readFieldElements("cells", limit: 10)) { error in
            guard case .invalidValue(let field, _)? = error as? DecodingError else {
                return XCTFail("expected invalidValue, got \(error)")
            }
            XCTAssertEqual(field, "cells")
        }
        var valid = ByteWriter()
        valid.writeLengthPrefixed([0, KoalaBear.p - 1] as [UInt32])
        var validReader = ByteReader(valid.bytes)
        XCTAssertEqual(try validReader.readFieldElements("cells", limit: 2), [0, KoalaBear.p - 1])
    }

    func testLengthPrefixedBytesRespectTheirLimit() {
        var writer = ByteWriter()
        writer.writeLengthPrefixed([1, 2, 3] as [UInt8])
        var reader = ByteReader(writer.bytes)
        XCTAssertEqual(try reader.readLengthPrefixedBytes("code", limit: 3), [1, 2, 3])
        var overLimit = ByteReader(writer.bytes)
        XCTAssertThrowsError(try overLimit.readLengthPrefixedBytes("code", limit: 2)) { error in
            XCTAssertEqual(error as? DecodingError, .listTooLong(field: "code", count: 3, limit: 2))
        }
    }
}
