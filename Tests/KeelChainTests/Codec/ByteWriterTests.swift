import KeelChain
import KeelCrypto
import XCTest

final class ByteWriterTests: XCTestCase {
    func testIntegersAreLittleEndianAtFullWidth() {
        var writer = ByteWriter()
        writer.write(UInt8(0xAB))
        writer.write(UInt32(0x0102_0304))
        writer.write(UInt64(0x0102_0304_0506_0708))
        XCTAssertEqual(writer.bytes, [0xAB, 4, 3, 2, 1, 8, 7, 6, 5, 4, 3, 2, 1])
        XCTAssertEqual(writer.count, 13)
    }

    func testBoolsAreOneByte() {
        var writer = ByteWriter()
        writer.write(true)
        writer.write(false)
        XCTAssertEqual(writer.bytes, [1, 0])
    }

    func testFixedSizeValuesAreRawBytes() throws {
        let hash = Hash32(bytes: Array(0..<32))!
        let signature = Signature(bytes: Array(100..<164))!
        let key = try XCTUnwrap(CodecGenerator.keys.first)
        var writer = ByteWriter(reservingCapacity: 200)
        writer.write(hash)
        writer.write(Address(hash))
        writer.write(signature)
        writer.write(key)
        writer.write([9, 9] as [UInt8])
        XCTAssertEqual(writer.bytes, hash.bytes + hash.bytes + signature.bytes + key.bytes + [9, 9])
    }

    func testLengthPrefixedDataIsAU32CountThenTheData() {
        var writer = ByteWriter()
        writer.writeLengthPrefixed([7, 8, 9] as [UInt8])
        writer.writeLengthPrefixed([1, 0x0100_0000] as [UInt32])
        writer.writeLengthPrefixed([] as [UInt8])
        XCTAssertEqual(
            writer.bytes,
            [3, 0, 0, 0, 7, 8, 9] + [2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1] + [0, 0, 0, 0])
    }

    func testListsAreACountThenEachEncoding() {
        let checkpoints = [Checkpoint(epoch: 1, root: .zero), Checkpoint(epoch: 2, root: .zero)]
        var writer = ByteWriter()
        writer.writeList(checkpoints)
        XCTAssertEqual(writer.bytes, [2, 0, 0, 0] + checkpoints[0].encoded + checkpoints[1].encoded)
    }

    func testReserveCapacityDoesNotWrite() {
        var writer = ByteWriter()
        writer.reserveCapacity(1_000)
        XCTAssertEqual(writer.count, 0)
        XCTAssertEqual(writer.bytes, [])
        writer.write(UInt8(5))
        XCTAssertEqual(writer.bytes, [5])
    }

    func testGrowingKeepsEverythingWritten() {
        var writer = ByteWriter(reservingCapacity: 3)
        var expected: [UInt8] = []
        for index in 0..<1_000 {
            writer.write(UInt64(index))
            expected += littleEndian(UInt64(index))
            writer.write(UInt8(truncatingIfNeeded: index))
            expected.append(UInt8(truncatingIfNeeded: index))
        }
        XCTAssertEqual(writer.count, expected.count)
        XCTAssertEqual(writer.bytes, expected)
        XCTAssertEqual(writer.finish(), expected)
        XCTAssertEqual(writer.count, 0)
        XCTAssertEqual(writer.bytes, [])
    }
}
