import KeelVM

/// Executes a lowered program step by step, writing one trace row per step (spec/STARK.md §9.2).
///
/// It follows spec/VM.md for runs without faults only: `VmTrace.build` runs the interpreter first
/// and hands the tracer only runs that halt or stop at the step limit, and checks that both
/// end in the same state.
struct VmTracer {
    let table: VmProgramTable
    private var memory: [UInt32]
    private(set) var pc: UInt32 = 0
    private(set) var fp: UInt32 = 0
    var columns: [[Fp]]
    private(set) var stepCount = 0
    private(set) var executions: [UInt64]
    let rowCount: Int

    init(program: Program, storage: [UInt32], input: [UInt32], rowCount: Int) {
        table = VmProgramTable(program)
        memory = [UInt32](repeating: 0, count: Int(program.memoryCellCount))
        memory.replaceSubrange(0..<storage.count, with: storage)
        memory.replaceSubrange(storage.count..<(storage.count + input.count), with: input)
        columns = [[Fp]](repeating: [Fp](repeating: .zero, count: rowCount), count: VmColumn.allCases.count)
        executions = [UInt64](repeating: 0, count: program.instructions.count)
        self.rowCount = rowCount
    }

    func memoryRange(_ start: Int, _ count: Int) -> [UInt32] { Array(memory[start..<(start + count)]) }

    mutating func set(_ column: VmColumn, _ row: Int, _ value: UInt32) {
        columns[column.rawValue][row] = Fp(UInt64(value))
    }

    private func read(_ mode: OperandMode, _ operand: UInt32) -> UInt32 {
        switch mode {
        case .imm: operand
        case .reg: memory[Int(fp + operand)]
        case .fpo: KoalaBear.add(fp, operand % KoalaBear.p)
        }
    }

    /// Runs `steps` instructions, one row each.
    mutating func run(steps: Int) {
        precondition(steps < rowCount, "a frozen row follows the last step")
        for row in 0..<steps { step(row: row) }
        stepCount = steps
    }

    private mutating func step(row: Int) {
        let entry = table.rows[Int(pc)]
        let instruction = entry.instruction
        executions[Int(pc)] += 1
        let isStore = instruction.opcode == .deref && instruction.isStore
        let isLoad = instruction.opcode == .deref && !instruction.isStore
        var valueA: UInt32 = 0, valueB: UInt32 = 0, valueC: UInt32 = 0
        var addressB = fp + entry.o2, addressC = fp + entry.o3
        var taken = false
        var nextPc = pc + 1, nextFp = fp
        if instruction.mode2 == .reg && !isLoad && instruction.opcode != .jump { valueB = memory[Int(fp + entry.o2)] }
        if instruction.mode3 == .reg && instruction.opcode != .jump { valueC = memory[Int(fp + entry.o3)] }
        switch instruction.opcode {
        case .add, .mul:
            let x = read(instruction.mode2, entry.o2), y = read(instruction.mode3, entry.o3)
            valueA = instruction.opcode == .add ? KoalaBear.add(x, y) : KoalaBear.mul(x, y)
            memory[Int(fp + entry.o1)] = valueA
        case .deref where isLoad:
            valueB = memory[Int(fp + entry.o2)]
            addressC = valueB + entry.o3
            valueC = memory[Int(addressC)]
            valueA = valueC
            memory[Int(fp + entry.o1)] = valueA
        case .deref:
            valueA = memory[Int(fp + entry.o1)]
            addressB = valueA + entry.o2
            valueB = read(instruction.mode3, entry.o3)
            memory[Int(addressB)] = valueB
        case .jump:
            if instruction.mode1 == .reg { valueA = memory[Int(fp + entry.o1)] }
            if read(instruction.mode1, entry.o1) != 0 {
                taken = true
                if instruction.mode2 == .reg { valueB = memory[Int(fp + entry.o2)] }
                if instruction.mode3 == .reg { valueC = memory[Int(fp + entry.o3)] }
                nextPc = read(instruction.mode2, entry.o2)
                nextFp = instruction.mode3 == .reg ? valueC : fp + entry.o3
            }
        }
        writeRow(row, entry: entry, slots: (valueA, valueB, valueC), addresses: (addressB, addressC), taken: taken)
        pc = nextPc
        fp = nextFp
    }
}
