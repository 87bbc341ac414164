import XCTest
@testable import KeelStark

/// The generic prover and verifier on the example AIRs: honest proofs verify, proofs of
/// other statements do not.
final class StarkRoundTripTests: XCTestCase {
    func testFibonacciProofVerifies() throws {
        for logRows in [2, 3, 6, 10] {
            let (air, trace) = FibonacciAir.trace(logRows: logRows)
            let proof = try StarkProver.prove(air, trace: trace)
            XCTAssertNoThrow(try StarkVerifier.verify(air, proof: proof.encoded()), "2^\(logRows) rows")
        }
    }

    func testFibonacciProofOfAnotherResultIsRejected() throws {
        let (air, trace) = FibonacciAir.trace(logRows: 6)
        let proof = try StarkProver.prove(air, trace: trace)
        let other = FibonacciAir(first: air.first, result: air.result + .one)
        // The statement is absorbed first, so every later check of the transcript fails; the
        // first is the main commitment's grinding.
        XCTAssertThrowsError(try StarkVerifier.verify(other, proof: proof.encoded())) { error in
            guard case .invalid = error as? StarkError else { return XCTFail("\(error)") }
        }
    }

    func testRangeLookupProofVerifies() throws {
        for logRows in [2, 5, 9] {
            let rows = 1 << logRows
            let values = (0..<rows).map { UInt32(($0 * 7 + 3) % rows) }
            let proof = try StarkProver.prove(RangeLookupAir(), trace: RangeLookupAir.trace(values: values))
            XCTAssertNoThrow(try StarkVerifier.verify(RangeLookupAir(), proof: proof.encoded()), "2^\(logRows) rows")
        }
    }

    func testHonestProverRefusesAValueOutsideTheTable() {
        var values = [UInt32](repeating: 1, count: 16)
        values[5] = 16
        XCTAssertThrowsError(try StarkProver.prove(RangeLookupAir(), trace: RangeLookupAir.trace(values: values))) { error in
            XCTAssertEqual(error as? StarkProvingError, .constraintFailed(constraint: 5, row: 15))
        }
    }
}
