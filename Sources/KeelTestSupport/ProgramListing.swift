import KeelVM

/// Renders a program as assembly-like text (spec/VM.md section 7) for test failure messages.
///
/// It is independent of the project's disassembler on purpose: a failing differential test must
/// print the program even when the disassembler is the thing that is broken. Each line also
/// carries its index, and operands are printed exactly as stored (immediates are not made
/// negative), so the text reads unambiguously even where it is not valid `.kasm`.
public enum ProgramListing {
    /// Returns the header as directives, then one numbered line per instruction.
    ///
    /// - Parameters:
    ///   - program: Any program, valid or not.
    /// - Returns: Multi-line text ending without a newline.
    public static func text(of program: Program) -> String {
        var lines = [
            ".memory \(program.memoryLog2)",
            ".storage \(program.storageCount)",
            ".inputs \(program.inputCount)",
            ".outputs \(program.outputCount)",
        ]
        for (index, instruction) in program.instructions.enumerated() {
            lines.append("\(index):\t" + text(of: instruction))
        }
        precondition(lines.count == 4 + program.instructions.count, "one line per instruction")
        return lines.joined(separator: "\n")
    }

    /// Returns one instruction as assembly-like text, for example `deref r6, [r2 + 4]`.
    ///
    /// - Parameters:
    ///   - instruction: Any instruction, valid or not.
    /// - Returns: One line of text.
    public static func text(of instruction: Instruction) -> String {
        let a = text(instruction.mode1, instruction.o1)
        let b = text(instruction.mode2, instruction.o2)
        let c = text(instruction.mode3, instruction.o3)
        switch instruction.opcode {
        case .add:
            return "add   \(a), \(b), \(c)"
        case .mul:
            return "mul   \(a), \(b), \(c)"
        case .deref where instruction.isStore:
            return "deref [\(a) + \(b)], \(c)"
        case .deref:
            return "deref \(a), [\(b) + \(c)]"
        case .jump:
            return "jump  \(a), \(b), \(c)"
        }
    }

    /// One operand: `k`, `rK` or `fp+K`.
    static func text(_ mode: OperandMode, _ k: UInt32) -> String {
        switch mode {
        case .imm: return "\(k)"
        case .reg: return "r\(k)"
        case .fpo: return "fp+\(k)"
        }
    }
}
