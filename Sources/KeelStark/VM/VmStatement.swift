import KeelVM

/// What one VM proof claims (spec/STARK.md §9.5): running `program` on `storage` and `input`
/// with step limit `stepLimit` gives `result`.
public struct VmStatement: Hashable, Sendable {
    public let program: Program
    public let storage: [UInt32]
    public let input: [UInt32]
    public let stepLimit: UInt64
    public let result: ExecutionResult

    public init(program: Program, storage: [UInt32], input: [UInt32], stepLimit: UInt64, result: ExecutionResult) {
        self.program = program
        self.storage = storage
        self.input = input
        self.stepLimit = stepLimit
        self.result = result
    }

    /// Why no run can match this statement, or `nil` (§9.5).
    public var problem: String? {
        let n = program.instructionCount
        guard storage.count == Int(program.storageCount), input.count == Int(program.inputCount),
              result.storage.count == Int(program.storageCount), result.output.count == Int(program.outputCount) else {
            return "storage, input, storage' or output does not have the program's cell count"
        }
        guard (storage + input + result.storage + result.output).allSatisfy({ $0 < Fp.modulus }) else {
            return "a value is not below p"
        }
        guard result.steps < UInt64(1 << VmTrace.logRowCountMax) else {
            return "a run of \(result.steps) steps needs more than 2^\(VmTrace.logRowCountMax) trace rows: it is re-executed, not proven"
        }
        switch result.status {
        case .halted:
            guard result.pc == n, result.steps <= stepLimit else { return "halted needs P = n and T ≤ ℓ" }
        case .fault(.stepLimit):
            guard result.pc < n, result.steps == stepLimit else { return "step_limit needs P < n and T = ℓ" }
        case .fault(let fault):
            return "a run ending in \(fault.rawValue) is re-executed, not proven"
        }
        return nil
    }

    /// Whether a run with this statement's result is one the VM AIR cannot cover, so that a
    /// verifier may accept re-execution instead of a proof (§9.6): a fault other than the step
    /// limit, or more steps or memory-table entries than `2^21` rows hold (counting at most three
    /// accesses per step).
    public var requiresReexecution: Bool {
        if case .fault(let fault) = result.status, fault != .stepLimit { return true }
        let rows = UInt64(1 << VmTrace.logRowCountMax)
        let publicEntries = UInt64(publicMemoryEntryCount)
        let (accesses, overflow) = result.steps.multipliedReportingOverflow(by: 3)
        return overflow || result.steps + 1 > rows || accesses + publicEntries > 3 * rows
    }

    /// How many public entries the memory table holds (§9.2): `2S + I + O + 1`.
    var publicMemoryEntryCount: Int {
        Int(2 * program.storageCount + program.inputCount + program.outputCount) + 1
    }

    /// One memory-table entry.
    struct MemoryEntry: Hashable, Comparable {
        let address: UInt32
        let time: UInt32
        let value: UInt32
        let write: Bool

        static func < (a: MemoryEntry, b: MemoryEntry) -> Bool { (a.address, a.time) < (b.address, b.time) }
    }

    /// The public entries of the memory table for `2^logTraceLength` rows (§9.2): initial writes
    /// of storage and input, final reads of storage' and output, the sentinel.
    func publicMemoryEntries(logTraceLength: Int) -> [MemoryEntry] {
        let finalTime = UInt32(3 << logTraceLength + 1)
        var entries: [MemoryEntry] = []
        for (address, value) in (storage + input).enumerated() {
            entries.append(MemoryEntry(address: UInt32(address), time: 0, value: value, write: true))
        }
        for (address, value) in result.storage.enumerated() {
            entries.append(MemoryEntry(address: UInt32(address), time: finalTime, value: value, write: false))
        }
        let outputStart = Int(program.storageCount + program.inputCount)
        for (offset, value) in result.output.enumerated() {
            entries.append(MemoryEntry(address: UInt32(outputStart + offset), time: finalTime, value: value, write: false))
        }
        entries.append(MemoryEntry(address: program.memoryCellCount - 1, time: finalTime + 1, value: 0, write: true))
        return entries
    }

    /// The statement's bytes for the transcript, with `table` the program lowered (§9.1).
    func encoded(table: VmProgramTable) -> [UInt8] {
        var writer = ProofWriter()
        writer.write(table.memoryCellCount)
        for count in [program.storageCount, program.inputCount, program.outputCount] { writer.write(count) }
        writer.writeCount(table.rows.count)
        for row in table.rows {
            for word in [row.word, row.o1, row.o2, row.o3] { writer.write(word) }
        }
        writer.write(stepLimit)
        writer.write(UInt8(result.status == .halted ? 0 : 1))
        writer.write(result.steps)
        writer.write(result.pc)
        for value in storage + input + result.storage + result.output { writer.write(value) }
        return writer.bytes
    }
}
