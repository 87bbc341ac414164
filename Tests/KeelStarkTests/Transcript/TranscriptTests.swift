import KeelCrypto
import XCTest
@testable import KeelStark

/// Known answers for spec/STARK.md §4, computed by an independent Python implementation.
final class TranscriptTests: XCTestCase {
    func testKnownAnswers() {
        var transcript = Transcript()
        XCTAssertEqual(transcript.state.hex, "54aa5c8acac05c853829e7562605313f7eeaa3e5d1c7d3bb9107149d05dfe7a8")
        transcript.absorb("params", [1, 2, 3])
        XCTAssertEqual(transcript.state.hex, "ec74b4142c13ca8ccf5e9461a4089a4a76432f38461fc4228562d68fccd5322b")
        XCTAssertEqual(transcript.squeezeExtension("alpha"),
                       Fp4(Fp(1_194_170_288), Fp(127_010_233), Fp(174_116_005), Fp(114_443_604)))
        XCTAssertEqual(transcript.state.hex, "89d5a7b498ccf73f232856078688fa3223a0b4c37623f899e36294ea79e25993")
        XCTAssertEqual(transcript.grind("pow", bits: 12), 6790)
        var stream = transcript.squeeze("queries")
        XCTAssertEqual((0..<5).map { _ in stream.nextIndex(logSize: 10) }, [845, 168, 981, 809, 254])
    }

    func testGrindingChecksTheNonce() {
        var prover = Transcript()
        let nonce = prover.grind("pow", bits: 10)
        var verifier = Transcript()
        XCTAssertTrue(verifier.checkGrinding("pow", bits: 10, nonce: nonce))
        XCTAssertEqual(verifier.state, prover.state)
        var other = Transcript()
        XCTAssertFalse(other.checkGrinding("pow", bits: 10, nonce: nonce == 0 ? 1 : nonce - 1),
                       "the least passing nonce: the one before it fails")
        var zeroBits = Transcript()
        XCTAssertTrue(zeroBits.checkGrinding("pow", bits: 0, nonce: 12345))
    }

    func testTagsSeparateMessages() {
        var a = Transcript(), b = Transcript()
        a.absorb("ab", [0x63])
        b.absorb("a", [0x62, 0x63])
        XCTAssertNotEqual(a.state, b.state)
        var c = Transcript(), d = Transcript()
        XCTAssertNotEqual(c.squeezeExtension("x"), d.squeezeExtension("y"))
    }
}
