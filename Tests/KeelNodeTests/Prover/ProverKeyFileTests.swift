import Foundation
import KeelCrypto
@testable import KeelNode
import XCTest

/// `ProverKeyFile`: the one accepted shape, and a reason for each way to get it wrong.
final class ProverKeyFileTests: XCTestCase {
    private func decode(_ text: String) throws(ProverKeyFileError) -> SecretKey {
        try ProverKeyFile.decode(json: Data(text.utf8))
    }

    private func assertRefused(_ text: String, containing fragment: String, line: UInt = #line) {
        XCTAssertThrowsError(try decode(text), line: line) { error in
            XCTAssertTrue("\(error)".contains(fragment), "\(error)", line: line)
        }
    }

    func testTheDevnetProverKeyRoundTrips() throws {
        let key = DevnetKeys.proverSecretKey
        let hex = Hex.encode(key.bytes)
        XCTAssertEqual(try decode(#"{"prover_secret_key": "\#(hex)"}"#).publicKey, key.publicKey)
        XCTAssertEqual(try decode(#"{"prover_secret_key": "0x\#(hex)"}"#).publicKey, key.publicKey)
    }

    func testBadFilesAreRefusedWithAReason() {
        assertRefused("", containing: "not JSON")
        assertRefused("[]", containing: "expected a JSON object")
        assertRefused(#"{"key": "00"}"#, containing: #"missing field "prover_secret_key""#)
        assertRefused(#"{"prover_secret_key": "zz"}"#, containing: "not hex")
        assertRefused(#"{"prover_secret_key": "0011"}"#, containing: "expected 32 bytes of hex, got 2")
        assertRefused(#"{"prover_secret_key": "\#(String(repeating: "00", count: 32))"}"#, containing: "not a valid secp256k1 secret key")
    }
}
