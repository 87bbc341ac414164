import KeelVM

extension VmTracer {
    /// Writes step `row`'s columns from the values the step read and wrote (§9.2–§9.3).
    mutating func writeRow(
        _ row: Int, entry: VmProgramTable.Row, slots: (UInt32, UInt32, UInt32), addresses: (UInt32, UInt32), taken: Bool
    ) {
        let instruction = entry.instruction
        let flags: [VmColumn: Bool] = [
            .isAdd: instruction.opcode == .add, .isMul: instruction.opcode == .mul,
            .isLoad: instruction.opcode == .deref && !instruction.isStore,
            .isStore: instruction.opcode == .deref && instruction.isStore, .isJump: instruction.opcode == .jump,
            .reg1: instruction.mode1 == .reg, .fpo1: instruction.mode1 == .fpo,
            .reg2: instruction.mode2 == .reg, .fpo2: instruction.mode2 == .fpo,
            .reg3: instruction.mode3 == .reg, .fpo3: instruction.mode3 == .fpo, .taken: taken,
        ]
        for (column, flag) in flags where flag { set(column, row, 1) }
        set(.row, row, UInt32(row))
        set(.pc, row, pc)
        set(.fp, row, fp)
        set(.o1, row, entry.o1)
        set(.o2, row, entry.o2)
        set(.o3, row, entry.o3)
        set(.addressB, row, addresses.0)
        set(.addressC, row, addresses.1)
        set(.valueA, row, slots.0)
        set(.valueB, row, slots.1)
        set(.valueC, row, slots.2)
        let fpValue = Fp(UInt64(fp))
        let operands = [(entry.o1, instruction.mode1, slots.0), (entry.o2, instruction.mode2, slots.1), (entry.o3, instruction.mode3, slots.2)]
        let operandColumns: [VmColumn] = [.operand1, .operand2, .operand3]
        for (index, (operand, mode, slot)) in operands.enumerated() {
            let value: Fp = switch mode {
            case .imm: Fp(UInt64(operand))
            case .reg: Fp(UInt64(slot))
            case .fpo: fpValue + Fp(UInt64(operand))
            }
            columns[operandColumns[index].rawValue][row] = value
        }
        let operand3 = columns[VmColumn.operand3.rawValue][row].value
        if taken { columns[VmColumn.conditionInverse.rawValue][row] = columns[VmColumn.operand1.rawValue][row].inverse() }
        let bounded: UInt32 = flags[.isLoad]! ? slots.1 : flags[.isStore]! ? slots.0 : taken ? operand3 : 0
        let frameRoom: UInt32 = taken ? table.memoryCellCount - 1 - operand3 : 0
        precondition(bounded < 1 << 24 && frameRoom < 1 << 24, "a run without faults keeps bases and frames below 2^24")
        set(.limbLow1, row, bounded & 4095)
        set(.limbHigh1, row, bounded >> 12)
        set(.limbLow2, row, frameRoom & 4095)
        set(.limbHigh2, row, frameRoom >> 12)
    }

    /// The frozen rows after the last step, the program table and the range table; returns the
    /// finished columns.
    mutating func finish() -> [[Fp]] {
        for row in stepCount..<rowCount {
            set(.row, row, UInt32(row))
            set(.pc, row, pc)
            set(.fp, row, fp)
            set(.frozen, row, 1)
            // §9.3 item 4 with o2 = o3 = 0 and no store or load.
            set(.addressB, row, fp)
            set(.addressC, row, fp)
        }
        for (offset, column) in table.publicColumns(rowCount: rowCount).enumerated() {
            columns[VmColumn.publicProgram[offset].rawValue] = column
        }
        for (index, count) in executions.enumerated() {
            columns[VmColumn.programMultiplicity.rawValue][index] = Fp(count)
        }
        var rangeCounts = [UInt64](repeating: 0, count: 4096)
        for column in [VmColumn.limbLow1, .limbHigh1, .limbLow2, .limbHigh2] {
            for value in columns[column.rawValue] { rangeCounts[Int(value.value)] += 1 }
        }
        for row in 0..<rowCount {
            let entry = min(row, 4095)
            set(.range, row, UInt32(entry))
            if row <= 4095 { columns[VmColumn.rangeMultiplicity.rawValue][row] = Fp(rangeCounts[entry]) }
        }
        return columns
    }
}
