/// Turns a program into `.kasm` text that assembles back to the same bytes (spec/VM.md section 7).
///
/// Immediate jump targets are printed as labels `L<index>` so the listing reads as control flow;
/// `jump 1, n, fp+0` is printed as `halt`. Every directive is written out, defaults included.
public enum Disassembler {
    public static func disassemble(_ program: Program) -> String {
        let n = program.instructionCount
        let halt = Instruction.halt(instructionCount: n)
        var targets = Set<UInt32>()
        for instruction in program.instructions
        where instruction.opcode == .jump && instruction.mode2 == .imm && instruction != halt {
            targets.insert(instruction.o2)
        }
        var lines = [
            ".memory \(program.memoryLog2)",
            ".storage \(program.storageCount)",
            ".inputs \(program.inputCount)",
            ".outputs \(program.outputCount)",
        ]
        for (index, instruction) in program.instructions.enumerated() {
            if targets.contains(UInt32(index)) { lines.append("L\(index):") }
            lines.append("    " + (instruction == halt ? "halt" : text(of: instruction)))
        }
        if targets.contains(n) { lines.append("L\(n):") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One instruction in assembly syntax, with numeric jump targets as `L<index>` labels.
    public static func text(of instruction: Instruction) -> String {
        let a = operand(instruction.mode1, instruction.o1)
        let b = operand(instruction.mode2, instruction.o2)
        let c = operand(instruction.mode3, instruction.o3)
        switch instruction.opcode {
        case .add: return "add \(a), \(b), \(c)"
        case .mul: return "mul \(a), \(b), \(c)"
        case .deref where instruction.isStore: return "deref [\(a) + \(instruction.o2)], \(c)"
        case .deref: return "deref \(a), [\(b) + \(instruction.o3)]"
        case .jump:
            let target = instruction.mode2 == .imm ? "L\(instruction.o2)" : b
            return "jump \(a), \(target), \(c)"
        }
    }

    private static func operand(_ mode: OperandMode, _ value: UInt32) -> String {
        switch mode {
        case .imm: return "\(value)"
        case .reg: return "r\(value)"
        case .fpo: return "fp+\(value)"
        }
    }
}
