import KeelVM

/// Lays out a traced run as the VM AIR's main columns (spec/STARK.md §9.2): one row per step,
/// frozen rows, the program and range tables, and the sorted memory table.
struct VmTraceColumns {
    private(set) var columns: [[Fp]]
    let rowCount: Int

    init(rowCount: Int) {
        self.rowCount = rowCount
        columns = [[Fp]](repeating: [Fp](repeating: .zero, count: rowCount), count: VmColumn.allCases.count)
    }

    private mutating func set(_ column: VmColumn, _ row: Int, _ value: UInt32) {
        columns[column.rawValue][row] = Fp(UInt64(value))
    }

    /// Every column of the trace of `tracer`'s run, proving `statement`.
    static func build(tracer: VmTracer, statement: VmStatement, rowCount: Int) -> [[Fp]] {
        var layout = VmTraceColumns(rowCount: rowCount)
        for (row, step) in tracer.steps.enumerated() { layout.writeStep(row, step, memoryCellCount: tracer.table.memoryCellCount) }
        layout.writeFrozenRows(from: tracer.steps.count, pc: tracer.pc, fp: tracer.fp)
        layout.writeProgramTable(tracer.table, executions: tracer.executions)
        let publicEntries = statement.publicMemoryEntries(logTraceLength: rowCount.trailingZeroBitCount)
        layout.writeMemoryTable((tracer.accesses + publicEntries).sorted())
        layout.writeRangeTable()
        return layout.columns
    }

    private mutating func writeStep(_ row: Int, _ step: VmTracer.Step, memoryCellCount: UInt32) {
        let instruction = step.entry.instruction
        let isLoad = instruction.opcode == .deref && !instruction.isStore
        let isStore = instruction.opcode == .deref && instruction.isStore
        let flags: [(VmColumn, Bool)] = [
            (.isAdd, instruction.opcode == .add), (.isMul, instruction.opcode == .mul), (.isLoad, isLoad),
            (.isStore, isStore), (.isJump, instruction.opcode == .jump),
            (.reg1, instruction.mode1 == .reg), (.fpo1, instruction.mode1 == .fpo),
            (.reg2, instruction.mode2 == .reg), (.fpo2, instruction.mode2 == .fpo),
            (.reg3, instruction.mode3 == .reg), (.fpo3, instruction.mode3 == .fpo), (.taken, step.taken),
        ]
        for (column, flag) in flags where flag { set(column, row, 1) }
        let values: [(VmColumn, UInt32)] = [
            (.row, UInt32(row)), (.pc, step.pc), (.fp, step.fp), (.o1, step.entry.o1), (.o2, step.entry.o2), (.o3, step.entry.o3),
            (.addressB, step.addresses.0), (.addressC, step.addresses.1),
            (.valueA, step.slots.0), (.valueB, step.slots.1), (.valueC, step.slots.2),
        ]
        for (column, value) in values { set(column, row, value) }
        let fields = [(step.entry.o1, instruction.mode1, step.slots.0), (step.entry.o2, instruction.mode2, step.slots.1),
                      (step.entry.o3, instruction.mode3, step.slots.2)]
        let operandColumns: [VmColumn] = [.operand1, .operand2, .operand3]
        for (index, (operand, mode, slot)) in fields.enumerated() {
            let value: Fp = switch mode {
            case .imm: Fp(UInt64(operand))
            case .reg: Fp(UInt64(slot))
            case .fpo: Fp(UInt64(step.fp)) + Fp(UInt64(operand))
            }
            columns[operandColumns[index].rawValue][row] = value
        }
        let condition = columns[VmColumn.operand1.rawValue][row], frame = columns[VmColumn.operand3.rawValue][row].value
        if step.taken { columns[VmColumn.conditionInverse.rawValue][row] = condition.inverse() }
        let bounded: UInt32 = isLoad ? step.slots.1 : isStore ? step.slots.0 : step.taken ? frame : 0
        let frameRoom: UInt32 = step.taken ? memoryCellCount - 1 - frame : 0
        precondition(bounded < 1 << 24 && frameRoom < 1 << 24, "a run without faults keeps bases and frames below 2^24")
        writeLimbs(bounded, low: .limbLow1, high: .limbHigh1, row: row)
        writeLimbs(frameRoom, low: .limbLow2, high: .limbHigh2, row: row)
    }

    private mutating func writeLimbs(_ value: UInt32, low: VmColumn, high: VmColumn, row: Int) {
        precondition(value < 1 << 24, "two 12-bit limbs")
        set(low, row, value & 4095)
        set(high, row, value >> 12)
    }

    private mutating func writeFrozenRows(from first: Int, pc: UInt32, fp: UInt32) {
        precondition(first < rowCount, "a frozen row follows the last step")
        for row in first..<rowCount {
            for (column, value) in [(VmColumn.row, UInt32(row)), (.pc, pc), (.fp, fp), (.frozen, 1), (.addressB, fp), (.addressC, fp)] {
                set(column, row, value)
            }
        }
    }

    private mutating func writeProgramTable(_ table: VmProgramTable, executions: [UInt64]) {
        for (offset, column) in table.publicColumns(rowCount: rowCount).enumerated() {
            columns[VmColumn.publicProgram[offset].rawValue] = column
        }
        for (index, count) in executions.enumerated() { columns[VmColumn.programMultiplicity.rawValue][index] = Fp(count) }
    }

    /// Entry `k` in row `k/3`, lane `k mod 3`; then inactive entries (`E = 0`, `W = 1`).
    private mutating func writeMemoryTable(_ entries: [VmStatement.MemoryEntry]) {
        precondition(entries.count <= 3 * rowCount, "the memory table fits the trace")
        for slot in 0..<(3 * rowCount) {
            let (row, lane) = (slot / 3, slot % 3)
            func put(_ field: MemoryLaneField, _ value: UInt32) { columns[field.column(lane: lane)][row] = Fp(UInt64(value)) }
            guard slot < entries.count else {
                put(.write, 1)
                continue
            }
            let entry = entries[slot]
            put(.address, entry.address)
            put(.time, entry.time)
            put(.value, entry.value)
            put(.write, entry.write ? 1 : 0)
            put(.active, 1)
            guard slot > 0 else { continue }
            let previous = entries[slot - 1]
            let same = previous.address == entry.address
            put(.same, same ? 1 : 0)
            let gap = same ? entry.time - previous.time - 1 : entry.address - previous.address - 1
            precondition(gap < 1 << 24, "a sorted table's gaps fit two 12-bit limbs")
            put(.gapLow, gap & 4095)
            put(.gapHigh, gap >> 12)
        }
    }

    private mutating func writeRangeTable() {
        var counts = [UInt64](repeating: 0, count: 4096)
        let limbColumns = [VmColumn.limbLow1, .limbHigh1, .limbLow2, .limbHigh2].map(\.rawValue)
            + (0..<3).flatMap { [MemoryLaneField.gapLow.column(lane: $0), MemoryLaneField.gapHigh.column(lane: $0)] }
        for column in limbColumns {
            for value in columns[column] { counts[Int(value.value)] += 1 }
        }
        for row in 0..<rowCount {
            set(.range, row, UInt32(min(row, 4095)))
            if row < 4096 { columns[VmColumn.rangeMultiplicity.rawValue][row] = Fp(counts[row]) }
        }
    }
}
