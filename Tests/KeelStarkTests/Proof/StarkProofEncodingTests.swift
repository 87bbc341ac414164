import KeelCrypto
import KeelRandom
import XCTest
@testable import KeelStark

/// Every field of a proof tampered, truncated or extended is rejected as malformed or invalid,
/// never accepted and never a crash (spec/STARK.md §8).
final class StarkProofEncodingTests: XCTestCase {
    private func fibonacci() throws -> (FibonacciAir, StarkProof) {
        let (air, trace) = FibonacciAir.trace(logRows: 8)
        return (air, try StarkProver.prove(air, trace: trace))
    }

    private func lookup() throws -> (RangeLookupAir, StarkProof) {
        let values = (0..<UInt32(64)).map { ($0 * 5) % 64 }
        return (RangeLookupAir(), try StarkProver.prove(RangeLookupAir(), trace: RangeLookupAir.trace(values: values)))
    }

    private func assertRejected<A: Air>(_ air: A, _ bytes: [UInt8], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try StarkVerifier.verify(air, proof: bytes), message, file: file, line: line) { error in
            XCTAssertNotNil(error as? StarkError, file: file, line: line)
        }
    }

    func testEncodingRoundTrips() throws {
        let (air, proof) = try lookup()
        let shape = StarkProofShape(air: air, parameters: .standard)
        XCTAssertEqual(try StarkProof(decoding: proof.encoded(), shape: shape), proof)
        XCTAssertNotNil(proof.auxRoot)
        let (fibonacciAir, fibonacciProof) = try fibonacci()
        XCTAssertEqual(try StarkProof(decoding: fibonacciProof.encoded(), shape: StarkProofShape(air: fibonacciAir, parameters: .standard)), fibonacciProof)
    }

    func testEveryTruncationAndExtensionIsMalformed() throws {
        let (air, proof) = try fibonacci()
        let bytes = proof.encoded()
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try StarkVerifier.verify(air, proof: Array(bytes[..<length]))) { error in
                guard case .malformed = error as? StarkError else { return XCTFail("length \(length): \(error)") }
            }
        }
        for extra in [[UInt8(0)], [1, 2, 3], [UInt8](repeating: 0xff, count: 100)] {
            XCTAssertThrowsError(try StarkVerifier.verify(air, proof: bytes + extra)) { error in
                XCTAssertEqual(error as? StarkError, .malformed("\(extra.count) bytes after the proof"))
            }
        }
    }

    func testNonCanonicalElementAndWrongShapesAreMalformed() throws {
        let (air, proof) = try fibonacci()
        var bytes = proof.encoded()
        let firstOOD = 2 + 2 * 32 + 8
        bytes.replaceSubrange(firstOOD..<(firstOOD + 4), with: [0x01, 0x00, 0x00, 0x7f])
        XCTAssertThrowsError(try StarkVerifier.verify(air, proof: bytes)) { error in
            XCTAssertEqual(error as? StarkError, .malformed("non-canonical field element in OOD values"))
        }
        var otherLength = proof.encoded()
        otherLength[1] = 30
        assertRejected(air, otherLength, "a trace length beyond 2^21")
        var otherVersion = proof.encoded()
        otherVersion[0] = 2
        assertRejected(air, otherVersion, "unknown version")
        assertRejected(RangeLookupAir(), proof.encoded(), "a Fibonacci proof read as a lookup proof")
    }

    func testEveryFieldTamperedIsRejected() throws {
        try assertEveryFieldTamperedIsRejected(fibonacci())
        try assertEveryFieldTamperedIsRejected(lookup())
    }

    private func assertEveryFieldTamperedIsRejected<A: Air>(_ fixture: (A, StarkProof)) {
        let (air, proof) = fixture
        XCTAssertNoThrow(try StarkVerifier.verify(air, proof: proof))
        var tamperings: [(String, (inout StarkProof) -> Void)] = [
            ("main root", { $0.mainRoot = $0.mainRoot.flippingBit(0) }),
            ("quotient root", { $0.quotientRoot = $0.quotientRoot.flippingBit(9) }),
            ("main nonce", { $0.mainGrindNonce &+= 1 }),
            ("query nonce", { $0.queryGrindNonce &+= 1 }),
        ]
        if proof.auxRoot != nil { tamperings.append(("aux root", { $0.auxRoot = $0.auxRoot!.flippingBit(17) })) }
        for index in proof.outOfDomainLocal.indices {
            tamperings.append(("OOD local \(index)", { $0.outOfDomainLocal[index] += .u }))
            tamperings.append(("OOD next \(index)", { $0.outOfDomainNext[index] += .one }))
        }
        for index in proof.outOfDomainQuotient.indices {
            tamperings.append(("OOD quotient \(index)", { $0.outOfDomainQuotient[index] += .one }))
        }
        for round in proof.friRounds.indices {
            tamperings.append(("FRI root \(round)", { $0.friRounds[round].root = $0.friRounds[round].root.flippingBit(100) }))
            tamperings.append(("FRI nonce \(round)", { $0.friRounds[round].grindNonce &+= 1 }))
            tamperings.append(("FRI coset \(round)", { $0.friOpenings[round].cosets[0][0] += .one }))
            tamperings.append(("FRI sibling \(round)", { $0.friOpenings[round].siblings[0] = $0.friOpenings[round].siblings[0].flippingBit(5) }))
            tamperings.append(("FRI coset dropped \(round)", { $0.friOpenings[round].cosets.removeLast() }))
        }
        for index in proof.finalPolynomial.indices {
            tamperings.append(("final coefficient \(index)", { $0.finalPolynomial[index] += .one }))
        }
        for matrix in proof.traceOpenings.indices {
            for column in proof.traceOpenings[matrix].rows[0].indices {
                tamperings.append(("opening \(matrix) column \(column)", { $0.traceOpenings[matrix].rows[0][column] += .one }))
            }
            tamperings.append(("opening \(matrix) last row", { $0.traceOpenings[matrix].rows[$0.traceOpenings[matrix].rows.count - 1][0] += .one }))
            tamperings.append(("opening \(matrix) sibling", { $0.traceOpenings[matrix].siblings[0] = $0.traceOpenings[matrix].siblings[0].flippingBit(1) }))
            tamperings.append(("opening \(matrix) sibling dropped", { $0.traceOpenings[matrix].siblings.removeLast() }))
            tamperings.append(("opening \(matrix) row dropped", { $0.traceOpenings[matrix].rows.removeLast() }))
        }
        for (name, tamper) in tamperings {
            var tampered = proof
            tamper(&tampered)
            XCTAssertThrowsError(try StarkVerifier.verify(air, proof: tampered), name) { error in
                XCTAssertNotNil(error as? StarkError, name)
            }
        }
    }

    func testRandomBitFlipsAreRejected() throws {
        let (air, proof) = try lookup()
        let bytes = proof.encoded()
        var random = SplitMix64(seed: 0xb17f)
        for _ in 0..<1_500 {
            var flipped = bytes
            let bit = Int(random.next() % UInt64(bytes.count * 8))
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            assertRejected(air, flipped, "bit \(bit)")
        }
    }
}
