import KeelTestSupport
import KeelVM
import XCTest
@testable import KeelStark

/// Runs that lie about memory, built as whole consistent traces (the CPU's value, the memory
/// table's entry and the claimed output all agree on the lie), so that only the memory
/// argument stands in the way: a stale read and a read of a never-written cell. A prover that
/// skips its checks proves them; the verifier rejects both.
final class VmMemoryAttackTests: XCTestCase {
    /// Sets the value of the memory-table entry at (`address`, `time`).
    private func setTableValue(_ columns: inout [[Fp]], address: UInt32, time: UInt32, to value: UInt32) {
        for row in columns[0].indices {
            for lane in 0..<3 where columns[MemoryLaneField.active.column(lane: lane)][row] == .one
                && columns[MemoryLaneField.address.column(lane: lane)][row] == Fp(UInt64(address))
                && columns[MemoryLaneField.time.column(lane: lane)][row] == Fp(UInt64(time)) {
                columns[MemoryLaneField.value.column(lane: lane)][row] = Fp(UInt64(value))
                return
            }
        }
        XCTFail("no table entry at address \(address), time \(time)")
    }

    /// Step `row`'s slot B read and slot A write both become `value`, as does the output.
    private func lie(_ trace: VmTrace, row: Int, readAddress: UInt32, value: UInt32) -> (VmAir, [[Fp]]) {
        var columns = trace.columns
        for column in [VmColumn.valueB, .operand2, .valueA] { columns[column.rawValue][row] = Fp(UInt64(value)) }
        let step = UInt32(3 * row)
        let finalTime = UInt32(3 * columns[0].count + 1)
        setTableValue(&columns, address: readAddress, time: step + 1, to: value)
        setTableValue(&columns, address: 0, time: step + 3, to: value)
        setTableValue(&columns, address: 0, time: finalTime, to: value)
        let honest = trace.statement
        var result = honest.result
        result.output = [value]
        let statement = VmStatement(program: honest.program, storage: honest.storage, input: honest.input, stepLimit: honest.stepLimit, result: result)
        return (VmAir(statement), columns)
    }

    private func assertRejected(_ air: VmAir, _ columns: [[Fp]], expectedFailure: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let options = StarkProver.Options(checkConstraints: false)
        let (proof, failing) = try StarkProver.proveReportingFailures(air, trace: columns, parameters: .standard, options: options)
        XCTAssertFalse(failing.isEmpty, "the lie breaks a constraint", file: file, line: line)
        XCTAssertThrowsError(try StarkVerifier.verify(air, proof: proof.encoded()), expectedFailure, file: file, line: line) { error in
            guard case .invalid = error as? StarkError else { return XCTFail("\(error)", file: file, line: line) }
        }
    }

    func testAStaleReadIsRejected() throws {
        let program = try Assembler.assemble("""
            .memory 5
            .outputs 1
                add r8, 5, 0
                add r8, 7, 0
                add r0, r8, 0
            """)
        let trace = try VmTrace.build(program: program, storage: [], input: [], stepLimit: 10)
        XCTAssertEqual(trace.statement.result.output, [7])
        let (air, columns) = lie(trace, row: 2, readAddress: 8, value: 5)
        XCTAssertNil(air.statementProblem)
        try assertRejected(air, columns, expectedFailure: "reading 5 after 7 was written")
    }

    func testAReadOfANeverWrittenCellIsRejectedUnlessZero() throws {
        let program = try Assembler.assemble("""
            .memory 5
            .outputs 1
                add r0, r9, 0
            """)
        let trace = try VmTrace.build(program: program, storage: [], input: [], stepLimit: 10)
        XCTAssertEqual(trace.statement.result.output, [0])
        let (air, columns) = lie(trace, row: 0, readAddress: 9, value: 3)
        try assertRejected(air, columns, expectedFailure: "fresh memory reads 0")
    }
}
