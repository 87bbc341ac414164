import KeelChain
import XCTest

final class DecodingErrorTests: XCTestCase {
    func testDescriptionsAreOneReadableLine() {
        let cases: [(DecodingError, String)] = [
            (.truncated(type: "Checkpoint.root", needed: 32, available: 5),
             "truncated input: Checkpoint.root needs 32 more bytes, 5 available"),
            (.trailingBytes(type: "Block", count: 1), "1 trailing byte(s) after a complete Block"),
            (.listTooLong(field: "BlockBody.attestations", count: 5_000, limit: 4_096),
             "list BlockBody.attestations has 5000 elements, over its limit of 4096"),
            (.unknownTag(type: "TransactionKind", tag: 9), "unknown TransactionKind tag 9"),
            (.invalidValue(field: "Validator.slashed", reason: "bool byte 2 is neither 0 nor 1"),
             "invalid Validator.slashed: bool byte 2 is neither 0 nor 1"),
        ]
        for (error, expected) in cases {
            XCTAssertEqual(error.description, expected)
            XCTAssertFalse(error.description.contains("\n"))
        }
    }
}
