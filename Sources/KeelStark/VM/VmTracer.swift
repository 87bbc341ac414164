import KeelVM

/// Executes a lowered program step by step, recording what each step read and wrote
/// (spec/STARK.md §9.2), for `VmTraceColumns` to lay out as a trace.
///
/// It follows spec/VM.md for runs without faults only: `VmTrace.build` runs the interpreter first
/// and hands the tracer only runs that halt or stop at the step limit, and checks that both
/// end in the same state.
struct VmTracer {
    /// One executed step.
    struct Step {
        let pc: UInt32
        let fp: UInt32
        let entry: VmProgramTable.Row
        let slots: (UInt32, UInt32, UInt32)
        let addresses: (UInt32, UInt32)
        let taken: Bool
    }

    let table: VmProgramTable
    private var memory: [UInt32]
    private(set) var pc: UInt32 = 0
    private(set) var fp: UInt32 = 0
    private(set) var steps: [Step] = []
    /// Every used slot, in step order (§9.2, memory accesses).
    private(set) var accesses: [VmStatement.MemoryEntry] = []
    private(set) var executions: [UInt64]

    init(program: Program, storage: [UInt32], input: [UInt32]) {
        table = VmProgramTable(program)
        memory = [UInt32](repeating: 0, count: Int(program.memoryCellCount))
        memory.replaceSubrange(0..<storage.count, with: storage)
        memory.replaceSubrange(storage.count..<(storage.count + input.count), with: input)
        executions = [UInt64](repeating: 0, count: program.instructions.count)
    }

    func memoryRange(_ start: Int, _ count: Int) -> [UInt32] { Array(memory[start..<(start + count)]) }

    private func read(_ mode: OperandMode, _ operand: UInt32) -> UInt32 {
        switch mode {
        case .imm: operand
        case .reg: memory[Int(fp + operand)]
        case .fpo: KoalaBear.add(fp, operand)
        }
    }

    /// Runs `count` instructions.
    mutating func run(steps count: Int) {
        steps.reserveCapacity(count)
        for _ in 0..<count { step() }
    }

    private mutating func step() {
        let entry = table.rows[Int(pc)]
        let instruction = entry.instruction
        executions[Int(pc)] += 1
        let isStore = instruction.opcode == .deref && instruction.isStore
        let isLoad = instruction.opcode == .deref && !instruction.isStore
        var (valueA, valueB, valueC): (UInt32, UInt32, UInt32) = (0, 0, 0)
        var addressB = fp + entry.o2, addressC = fp + entry.o3
        var taken = false
        var (nextPc, nextFp) = (pc + 1, fp)
        switch instruction.opcode {
        case .add, .mul:
            if instruction.mode2 == .reg { valueB = memory[Int(addressB)] }
            if instruction.mode3 == .reg { valueC = memory[Int(addressC)] }
            let x = read(instruction.mode2, entry.o2), y = read(instruction.mode3, entry.o3)
            valueA = instruction.opcode == .add ? KoalaBear.add(x, y) : KoalaBear.mul(x, y)
        case .deref where isLoad:
            valueB = memory[Int(addressB)]
            addressC = valueB + entry.o3
            valueC = memory[Int(addressC)]
            valueA = valueC
        case .deref:
            valueA = memory[Int(fp + entry.o1)]
            addressB = valueA + entry.o2
            if instruction.mode3 == .reg { valueC = memory[Int(addressC)] }
            valueB = read(instruction.mode3, entry.o3)
        case .jump:
            if instruction.mode1 == .reg { valueA = memory[Int(fp + entry.o1)] }
            if read(instruction.mode1, entry.o1) != 0 {
                taken = true
                if instruction.mode2 == .reg { valueB = memory[Int(addressB)] }
                if instruction.mode3 == .reg { valueC = memory[Int(addressC)] }
                nextPc = read(instruction.mode2, entry.o2)
                nextFp = instruction.mode3 == .reg ? valueC : fp + entry.o3
            }
        }
        let time = UInt32(3 * steps.count)
        let late: UInt32 = isStore || instruction.opcode == .jump ? 1 : 0
        let gate = instruction.opcode != .jump || taken
        if instruction.mode1 == .reg {
            let writes = instruction.opcode != .jump && !isStore
            accesses.append(.init(address: fp + entry.o1, time: time + 3 - 2 * late, value: valueA, write: writes))
        }
        if (instruction.mode2 == .reg && gate) || isStore {
            accesses.append(.init(address: addressB, time: time + 1 + 2 * late, value: valueB, write: isStore))
        }
        if (instruction.mode3 == .reg && gate) || isLoad {
            accesses.append(.init(address: addressC, time: time + 2, value: valueC, write: false))
        }
        if instruction.opcode == .add || instruction.opcode == .mul || isLoad { memory[Int(fp + entry.o1)] = valueA }
        if isStore { memory[Int(addressB)] = valueB }
        steps.append(Step(pc: pc, fp: fp, entry: entry, slots: (valueA, valueB, valueC), addresses: (addressB, addressC), taken: taken))
        (pc, fp) = (nextPc, nextFp)
    }
}
