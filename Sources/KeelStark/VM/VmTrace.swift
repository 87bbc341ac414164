import KeelVM

/// The execution trace of one call for the VM AIR (spec/STARK.md §9.2), with its statement.
public struct VmTrace: Sendable {
    /// Main columns in `VmColumn` order, `N` rows each.
    public let columns: [[Fp]]
    /// The call and the interpreter's result for it.
    public let statement: VmStatement

    public var logRowCount: Int { columns[0].count.trailingZeroBitCount }

    /// The smallest trace (the range table needs `2^12` rows) and the largest.
    public static let logRowCountMin = 12
    public static let logRowCountMax = 21

    /// Why a run is not proven but left to re-execution.
    public enum Unprovable: Error, Hashable, Sendable {
        /// A fault other than the step limit (re-executed by the verifier).
        case fault(Fault)
        /// More steps, instructions or memory-table entries than `2^21` rows hold.
        case tooLong(steps: UInt64)
    }

    /// Runs `program` and builds its trace.
    ///
    /// - Throws: `Unprovable` when the run must be re-executed instead;
    ///   `ExecutionInputError` for storage or input that does not fit the program.
    public static func build(program: Program, storage: [UInt32], input: [UInt32], stepLimit: UInt64) throws -> VmTrace {
        let result = try Interpreter(program).run(storage: storage, input: input, stepLimit: stepLimit)
        return try build(VmStatement(program: program, storage: storage, input: input, stepLimit: stepLimit, result: result))
    }

    /// Builds the trace of a run whose interpreter result `statement` already holds.
    ///
    /// - Throws: `Unprovable` when the run must be re-executed instead.
    static func build(_ statement: VmStatement) throws(Unprovable) -> VmTrace {
        let (program, storage, input, result) = (statement.program, statement.storage, statement.input, statement.result)
        if case .fault(let fault) = result.status, fault != .stepLimit { throw Unprovable.fault(fault) }
        guard result.steps < UInt64(1 << logRowCountMax) else { throw Unprovable.tooLong(steps: result.steps) }
        var tracer = VmTracer(program: program, storage: storage, input: input)
        tracer.run(steps: Int(result.steps))
        precondition(tracer.pc == result.pc, "the tracer stopped where the interpreter did")
        precondition(tracer.memoryRange(0, Int(program.storageCount)) == result.storage, "the tracer's storage is the interpreter's")
        let outputStart = Int(program.storageCount + program.inputCount)
        precondition(tracer.memoryRange(outputStart, Int(program.outputCount)) == result.output, "the same output")
        let entries = tracer.accesses.count + statement.publicMemoryEntryCount
        let needed = max(Int(result.steps) + 1, program.instructions.count, 1 << logRowCountMin, (entries + 2) / 3)
        guard needed <= 1 << logRowCountMax else { throw Unprovable.tooLong(steps: result.steps) }
        let rowCount = 1 << (Int.bitWidth - (needed - 1).leadingZeroBitCount)
        return VmTrace(columns: VmTraceColumns.build(tracer: tracer, statement: statement, rowCount: rowCount), statement: statement)
    }

    /// The AIR this trace satisfies.
    public var air: VmAir { VmAir(statement) }
}
