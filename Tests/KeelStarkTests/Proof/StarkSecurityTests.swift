import XCTest
@testable import KeelStark

/// The security calculation of spec/STARK.md §8 with the standard parameters.
final class StarkSecurityTests: XCTestCase {
    func testStandardParametersReachAHundredBitsUpTo2To21Rows() {
        for logRows in [12, 16, 20, 21] {
            let security = StarkSecurity(air: RangeLookupAir(), parameters: .standard, logTraceLength: logRows)
            XCTAssertGreaterThanOrEqual(security.bits, 100, "2^\(logRows): \(security.terms)")
        }
        let queries = StarkSecurity(air: FibonacciAir(result: .one), parameters: .standard, logTraceLength: 20)
            .terms.first { $0.name == "queries" }
        XCTAssertEqual(queries?.bits, 29 * 3 + 16 - 1)
    }

    func testFewerQueriesLowerTheClaim() {
        var weak = StarkParameters.standard
        weak.queryCount = 10
        XCTAssertEqual(StarkSecurity(air: FibonacciAir(result: .one), parameters: weak, logTraceLength: 12).bits, 10 * 3 + 16 - 1)
        XCTAssertEqual(StarkSecurity.constraintCount(RangeLookupAir()), 6)
        XCTAssertEqual(StarkSecurity.constraintCount(FibonacciAir(result: .one)), 5)
    }
}
