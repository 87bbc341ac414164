import KeelCrypto
@_exported import KeelRandom
import XCTest

/// Decodes hex that the test itself spells, failing the test loudly instead of crashing.
func hexBytes(_ hex: String, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
    try XCTUnwrap(Hex.decode(hex), "bad hex in test: \(hex)", file: file, line: line)
}

/// A `Hash32` spelled in hex by the test.
func hash32(_ hex: String, file: StaticString = #filePath, line: UInt = #line) throws -> Hash32 {
    try XCTUnwrap(Hash32(hex: hex), "bad Hash32 in test: \(hex)", file: file, line: line)
}

/// The secp256k1 group order n.
let curveOrderHex = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"
