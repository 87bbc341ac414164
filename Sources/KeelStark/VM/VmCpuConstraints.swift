/// The CPU constraints of spec/STARK.md §9.3, items 1–11, in their normative order.
enum VmCpuConstraints {
    static func evaluate<Builder: ConstraintBuilder>(
        _ builder: inout Builder, memoryCellCount: UInt32, stepCount: UInt64, finalPc: UInt32
    ) {
        typealias V = Builder.Value
        func x(_ column: VmColumn) -> V { builder.main(column.rawValue) }
        let one = V.one
        let frozen = x(.frozen), taken = x(.taken), fp = x(.fp)
        let opcodes = [x(.isAdd), x(.isMul), x(.isLoad), x(.isStore), x(.isJump)]
        let modes = [x(.reg1), x(.fpo1), x(.reg2), x(.fpo2), x(.reg3), x(.fpo3)]

        // 1. Booleans, and at most one mode per operand.
        for flag in [frozen] + opcodes + modes + [taken] { builder.assertZero(flag * (flag - one), on: .all) }
        for operand in 0..<3 { builder.assertZero(modes[2 * operand] * modes[2 * operand + 1], on: .all) }
        // 2. One opcode on a running row, none and no modes on a frozen one.
        builder.assertZero(opcodes.reduce(V.zero, +) - (one - frozen), on: .all)
        builder.assertZero(frozen * modes.reduce(V.zero, +), on: .all)
        // 3. Operand values.
        let fields = [x(.o1), x(.o2), x(.o3)]
        let slots = [x(.valueA), x(.valueB), x(.valueC)]
        let operands = [x(.operand1), x(.operand2), x(.operand3)]
        for index in 0..<3 {
            let reg = modes[2 * index], fpo = modes[2 * index + 1]
            let immediate = one - reg - fpo
            builder.assertZero(operands[index] - (immediate * fields[index] + reg * slots[index] + fpo * (fp + fields[index])), on: .all)
        }
        // 4. Slot addresses.
        let (isAdd, isMul, isLoad, isStore, isJump) = (opcodes[0], opcodes[1], opcodes[2], opcodes[3], opcodes[4])
        builder.assertZero(x(.addressB) - (fp + fields[1] + isStore * (slots[0] - fp)), on: .all)
        builder.assertZero(x(.addressC) - (fp + fields[2] + isLoad * (slots[1] - fp)), on: .all)
        // 5. What each opcode computes.
        builder.assertZero(isAdd * (slots[0] - operands[1] - operands[2]), on: .all)
        builder.assertZero(isMul * (slots[0] - operands[1] * operands[2]), on: .all)
        builder.assertZero(isLoad * (slots[0] - slots[2]), on: .all)
        builder.assertZero(isStore * (slots[1] - operands[2]), on: .all)
        // 6. Jumps: taken exactly when the condition is nonzero.
        builder.assertZero(taken * (one - isJump), on: .all)
        builder.assertZero(isJump * (one - taken) * operands[0], on: .all)
        builder.assertZero(taken * (operands[0] * x(.conditionInverse) - one), on: .all)
        // 7. Row, pc and fp move on.
        builder.assertZero(builder.mainNext(VmColumn.row.rawValue) - x(.row) - one, on: .transition)
        let pc = x(.pc)
        builder.assertZero(builder.mainNext(VmColumn.pc.rawValue) - pc - (one - frozen) * (one - taken) - taken * (operands[1] - pc), on: .transition)
        builder.assertZero(builder.mainNext(VmColumn.fp.rawValue) - fp - taken * (operands[2] - fp), on: .transition)
        // 8. Frozen rows: stay frozen, start at row T, sit at pc P.
        let nextFrozen = builder.mainNext(VmColumn.frozen.rawValue)
        builder.assertZero(frozen * (one - nextFrozen), on: .transition)
        builder.assertZero((one - frozen) * nextFrozen * (builder.mainNext(VmColumn.row.rawValue) - V(Fp(stepCount))), on: .transition)
        builder.assertZero(frozen * (pc - V(Fp(UInt64(finalPc)))), on: .all)
        // 9. Bases and frames below 2^24, frames below M.
        let limb = V(Fp(4096))
        builder.assertZero(isLoad * slots[1] + isStore * slots[0] + taken * operands[2] - (x(.limbLow1) + limb * x(.limbHigh1)), on: .all)
        builder.assertZero(taken * (V(Fp(UInt64(memoryCellCount - 1))) - operands[2]) - (x(.limbLow2) + limb * x(.limbHigh2)), on: .all)
        // 10. The first row starts the machine; the last is frozen.
        builder.assertZero(x(.row), on: .firstRow)
        builder.assertZero(pc, on: .firstRow)
        builder.assertZero(fp, on: .firstRow)
        builder.assertZero(frozen - (stepCount == 0 ? one : .zero), on: .firstRow)
        builder.assertZero(frozen - one, on: .lastRow)
        // 11. The range table climbs from 0 to 4095 by steps of 0 or 1.
        let range = x(.range), rangeStep = builder.mainNext(VmColumn.range.rawValue) - range
        builder.assertZero(range, on: .firstRow)
        builder.assertZero(rangeStep * (rangeStep - one), on: .transition)
        builder.assertZero(range - V(Fp(4095)), on: .lastRow)
    }
}
