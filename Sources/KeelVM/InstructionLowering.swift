/// Turns a parsed instruction into an `Instruction`: resolves labels, picks modes, and enforces
/// each opcode's operand rules with errors at the operand's own column.
struct InstructionLowering {
    let labels: [String: Int]
    let instructionCount: UInt32

    /// A resolved operand: its mode and field value.
    private typealias Field = (mode: OperandMode, value: UInt32)

    func lower(_ source: SourceInstruction) throws(AssemblyError) -> Instruction {
        // Helpers below know columns only; the line is the instruction's.
        do throws(AssemblyError) {
            return try lowerOnLine(source)
        } catch {
            throw AssemblyError(line: source.line, column: error.column, error.message)
        }
    }

    private func lowerOnLine(_ source: SourceInstruction) throws(AssemblyError) -> Instruction {
        switch source.mnemonic {
        case "add", "mul":
            try expect(source, operandCounts: [3])
            let opcode: Opcode = source.mnemonic == "add" ? .add : .mul
            let d = try register(source, 0)
            let x = try field(source, 1, allowed: [.imm, .reg, .fpo])
            let y = try field(source, 2, allowed: [.imm, .reg, .fpo])
            return Instruction(opcode, .reg, d, x.mode, x.value, y.mode, y.value)
        case "deref":
            try expect(source, operandCounts: [2])
            if case let .memory(base, offset) = source.operands[0].value {
                let k = try resolve(offset.value, source.operands[0])
                let v = try field(source, 1, allowed: [.imm, .reg, .fpo])
                return Instruction(.deref, .reg, base, .imm, k.value, v.mode, v.value, isStore: true)
            }
            let d = try register(source, 0)
            guard case let .memory(base, offset) = source.operands[1].value else {
                throw error(source.operands[1], "deref needs a memory operand [rB + K], as in 'deref r1, [r2 + 4]'")
            }
            let k = try resolve(offset.value, source.operands[1])
            return Instruction(.deref, .reg, d, .reg, base, .imm, k.value)
        case "jump":
            try expect(source, operandCounts: [2, 3])
            let c = try field(source, 0, allowed: [.imm, .reg])
            let t = try field(source, 1, allowed: [.imm, .reg])
            let f = source.operands.count == 3 ? try field(source, 2, allowed: [.reg, .fpo]) : (.fpo, 0)
            if t.mode == .imm && t.value > instructionCount {
                throw error(source.operands[1], "jump target \(t.value) is past the end of the program (n = \(instructionCount))")
            }
            return Instruction(.jump, c.mode, c.value, t.mode, t.value, f.mode, f.value)
        case "halt":
            try expect(source, operandCounts: [0])
            return Instruction.halt(instructionCount: instructionCount)
        default:
            preconditionFailure("the parser admits only known mnemonics")
        }
    }

    private func expect(_ source: SourceInstruction, operandCounts: [Int]) throws(AssemblyError) {
        guard operandCounts.contains(source.operands.count) else {
            let wanted = operandCounts.map(String.init).joined(separator: " or ")
            throw AssemblyError(
                line: source.line, column: source.column,
                "\(source.mnemonic) takes \(wanted) operands, got \(source.operands.count)")
        }
    }

    private func error(_ operand: SourceOperand, _ message: String) -> AssemblyError {
        AssemblyError(line: 0, column: operand.column, message)
    }

    private func register(_ source: SourceInstruction, _ position: Int) throws(AssemblyError) -> UInt32 {
        guard case let .register(index) = source.operands[position].value else {
            throw located(source, position, "operand \(position + 1) of \(source.mnemonic) must be a register rK")
        }
        return index
    }

    private func field(_ source: SourceInstruction, _ position: Int, allowed: Set<OperandMode>) throws(AssemblyError) -> Field {
        let operand = source.operands[position]
        let resolved: Field
        do throws(AssemblyError) {
            resolved = try resolve(operand.value, operand)
        } catch {
            throw located(source, position, error.message)
        }
        guard allowed.contains(resolved.mode) else {
            let names = allowed.map(Self.describe).sorted().joined(separator: ", ")
            throw located(source, position, "operand \(position + 1) of \(source.mnemonic) must be \(names)")
        }
        return resolved
    }

    private func located(_ source: SourceInstruction, _ position: Int, _ message: String) -> AssemblyError {
        AssemblyError(line: 0, column: source.operands[position].column, message)
    }

    private func resolve(_ value: SourceOperand.Value, _ operand: SourceOperand) throws(AssemblyError) -> Field {
        switch value {
        case let .register(index): return (.reg, index)
        case let .framePointerOffset(offset): return (.fpo, offset)
        case let .immediate(value): return (.imm, value)
        case let .label(name):
            guard let index = labels[name] else { throw error(operand, "undefined label '\(name)'") }
            return (.imm, UInt32(index))
        case .memory:
            throw error(operand, "a memory operand [rB + K] is only allowed in deref")
        }
    }

    private static func describe(_ mode: OperandMode) -> String {
        switch mode {
        case .imm: return "an immediate"
        case .reg: return "a register"
        case .fpo: return "fp+K"
        }
    }
}
