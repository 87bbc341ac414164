import XCTest
@testable import KeelStark

/// For every constraint of the example AIRs, a trace (or statement) that breaks only that
/// constraint, proved by a prover that skips its own checks: the verifier rejects it, and with
/// that constraint masked on both sides the same trace verifies, which shows the fixture aims
/// at the constraint and the constraint is live (spec/STARK.md §6, the proposal's §7.3).
final class ConstraintSoundnessTests: XCTestCase {
    private let rows = 16

    private func assertOnlyConstraintCatches<A: Air>(
        _ constraint: Int, air: A, trace: [[Fp]], auxOverride: (@Sendable ([[Fp4]]) -> [[Fp4]])? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        var cheating = StarkProver.Options(checkConstraints: false, auxOverride: auxOverride)
        let (proof, failing) = try StarkProver.proveReportingFailures(air, trace: trace, parameters: .standard, options: cheating)
        XCTAssertEqual(failing, [constraint], "the fixture breaks exactly this constraint", file: file, line: line)
        XCTAssertThrowsError(try StarkVerifier.verify(air, proof: proof.encoded()), file: file, line: line) { error in
            guard case .invalid = error as? StarkError else { return XCTFail("\(error)", file: file, line: line) }
        }
        cheating.maskedConstraints = [constraint]
        let (masked, _) = try StarkProver.proveReportingFailures(air, trace: trace, parameters: .standard, options: cheating)
        let shape = StarkProofShape(air: air, parameters: .standard)
        let decoded = try StarkProof(decoding: masked.encoded(), shape: shape)
        XCTAssertNoThrow(try StarkVerifier.verify(air, decoded: decoded, parameters: .standard, masked: [constraint]),
                         "masked on both sides, the same trace verifies", file: file, line: line)
        XCTAssertThrowsError(try StarkVerifier.verify(air, decoded: decoded, parameters: .standard, masked: []),
                             "the prover's mask alone does not help", file: file, line: line)
    }

    // MARK: Fibonacci: 0 a first, 1 b first, 2 a' = b, 3 b' = a + b, 4 b last

    func testFibonacciFirstA() throws {
        let (air, trace) = FibonacciAir.trace(logRows: 4)
        try assertOnlyConstraintCatches(0, air: FibonacciAir(first: (air.first.a + .one, air.first.b), result: air.result), trace: trace)
    }

    func testFibonacciFirstB() throws {
        let (air, trace) = FibonacciAir.trace(logRows: 4)
        try assertOnlyConstraintCatches(1, air: FibonacciAir(first: (air.first.a, air.first.b + .one), result: air.result), trace: trace)
    }

    func testFibonacciCopyTransition() throws {
        var (air, trace) = FibonacciAir.trace(logRows: 4)
        trace[0][rows - 1] += .one
        try assertOnlyConstraintCatches(2, air: air, trace: trace)
    }

    func testFibonacciSumTransition() throws {
        var (air, trace) = FibonacciAir.trace(logRows: 4)
        trace[1][rows - 1] += .one
        try assertOnlyConstraintCatches(3, air: FibonacciAir(first: air.first, result: trace[1][rows - 1]), trace: trace)
    }

    func testFibonacciResult() throws {
        let (air, trace) = FibonacciAir.trace(logRows: 4)
        try assertOnlyConstraintCatches(4, air: FibonacciAir(first: air.first, result: air.result + .one), trace: trace)
    }

    // MARK: Range lookup: 0 t first, 1 t' = t + 1, 2 helper, 3 s first, 4 s' = s + h', 5 s last

    private var validValues: [UInt32] { (0..<rows).map { UInt32((3 * $0 + 1) % rows) } }

    /// Columns `v, t, m` with `m` counted against the given table.
    private func lookupTrace(values: [UInt32], table: [UInt32]) -> [[Fp]] {
        let multiplicities = table.enumerated().map { index, entry in
            table.firstIndex(of: entry) == index ? values.filter { $0 == entry }.count : 0
        }
        return [values.map { Fp(UInt64($0)) }, table.map { Fp(UInt64($0)) }, multiplicities.map { Fp(UInt64($0)) }]
    }

    /// A value outside the table: the helper column sums to `c ≠ 0`.
    private var outOfRangeTrace: [[Fp]] {
        var values = validValues
        values[5] = UInt32(rows)
        return RangeLookupAir.trace(values: values)
    }

    /// The aux trace with the running sum shifted by `−Σh` from row `from` on, so it ends at 0.
    private static func sumShifted(from row: Int) -> @Sendable ([[Fp4]]) -> [[Fp4]] {
        { aux in
            var aux = aux
            let total = aux[1][aux[1].count - 1]
            for index in row..<aux[1].count { aux[1][index] -= total }
            return aux
        }
    }

    func testLookupTableStart() throws {
        let table = (1...UInt32(rows)).map { $0 }
        try assertOnlyConstraintCatches(0, air: RangeLookupAir(), trace: lookupTrace(values: validValues.map { $0 + 1 }, table: table))
    }

    func testLookupTableStep() throws {
        let table = (0..<UInt32(rows - 1)).map { $0 } + [UInt32(rows - 2)]
        let values = validValues.map { min($0, UInt32(rows - 2)) }
        try assertOnlyConstraintCatches(1, air: RangeLookupAir(), trace: lookupTrace(values: values, table: table))
    }

    func testLookupHelper() throws {
        let shiftTwoHelpers: @Sendable ([[Fp4]]) -> [[Fp4]] = { aux in
            var aux = aux
            aux[0][3] += .one
            aux[0][7] -= .one
            var running = Fp4.zero
            for index in aux[1].indices {
                running += aux[0][index]
                aux[1][index] = running
            }
            return aux
        }
        try assertOnlyConstraintCatches(2, air: RangeLookupAir(), trace: RangeLookupAir.trace(values: validValues), auxOverride: shiftTwoHelpers)
    }

    func testLookupSumStart() throws {
        try assertOnlyConstraintCatches(3, air: RangeLookupAir(), trace: outOfRangeTrace, auxOverride: Self.sumShifted(from: 0))
    }

    func testLookupSumStep() throws {
        try assertOnlyConstraintCatches(4, air: RangeLookupAir(), trace: outOfRangeTrace, auxOverride: Self.sumShifted(from: 8))
    }

    func testLookupSumEnd() throws {
        try assertOnlyConstraintCatches(5, air: RangeLookupAir(), trace: outOfRangeTrace)
    }
}
