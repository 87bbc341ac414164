import KeelCrypto
import XCTest

/// SplitMix64: a tiny deterministic generator, so that "random" test inputs are the same on
/// every run and a failure can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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
