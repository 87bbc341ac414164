import KeelVM

/// A plain restatement of the validity rules of spec/VM.md section 6, for test code.
///
/// It is written independently of `Program.validate()` so that the random program generator and
/// the reference interpreter can check their own assumptions without trusting the code under test.
public enum ReferenceValidity {
    /// The field modulus, restated from spec/VM.md section 1 as `2^31 - 2^24 + 1`.
    public static let p: UInt32 = (1 << 31) - (1 << 24) + 1

    /// Returns the first rule of spec/VM.md section 6 that `program` breaks, or `nil` if it is valid.
    ///
    /// Rules that a `Program` value cannot break (magic, version, reserved bits, length, mode 3)
    /// are not checked.
    ///
    /// - Parameters:
    ///   - program: The program to check.
    /// - Returns: A sentence naming the broken rule, or `nil`.
    public static func violation(in program: Program) -> String? {
        precondition(p == 2_130_706_433, "p must be the KoalaBear prime")
        precondition(p == KoalaBear.p, "KoalaBear.p must match the spec")
        let memoryLog2 = program.memoryLog2
        guard memoryLog2 >= 4, memoryLog2 <= 24 else {
            return "L = \(memoryLog2) is outside 4 ... 24"
        }
        let memoryCellCount = UInt64(1) << UInt64(memoryLog2)
        let countSum = UInt64(program.storageCount) + UInt64(program.inputCount)
            + UInt64(program.outputCount)
        guard countSum <= memoryCellCount else {
            return "S + I + O = \(countSum) exceeds M = \(memoryCellCount)"
        }
        guard program.instructions.count <= 1 << 20 else {
            return "n = \(program.instructions.count) exceeds 2^20"
        }
        let instructionCount = UInt32(program.instructions.count)
        for (index, instruction) in program.instructions.enumerated() {
            if let reason = violation(in: instruction, instructionCount: instructionCount) {
                return "instruction \(index): \(reason)"
            }
        }
        return nil
    }

    /// Returns the first rule of spec/VM.md sections 4 and 6 that one instruction breaks, or `nil`.
    ///
    /// - Parameters:
    ///   - instruction: The instruction to check.
    ///   - instructionCount: `n`, the bound on an `imm` JUMP target.
    /// - Returns: A sentence naming the broken rule, or `nil`.
    public static func violation(in instruction: Instruction, instructionCount: UInt32) -> String? {
        for operand in [instruction.o1, instruction.o2, instruction.o3] where operand >= p {
            return "operand \(operand) is not below p"
        }
        let modes = (instruction.mode1, instruction.mode2, instruction.mode3)
        let valueModes: Set<OperandMode> = [.imm, .reg, .fpo]
        switch instruction.opcode {
        case .add, .mul:
            // (reg, imm/reg/fpo, imm/reg/fpo)
            guard !instruction.isStore else { return "D is set on a non-DEREF instruction" }
            guard modes.0 == .reg, valueModes.contains(modes.1), valueModes.contains(modes.2) else {
                return "modes not allowed for add/mul"
            }
        case .deref where !instruction.isStore:
            // load: (reg, reg, imm)
            guard modes.0 == .reg, modes.1 == .reg, modes.2 == .imm else {
                return "modes not allowed for a DEREF load"
            }
        case .deref:
            // store: (reg, imm, imm/reg/fpo)
            guard modes.0 == .reg, modes.1 == .imm, valueModes.contains(modes.2) else {
                return "modes not allowed for a DEREF store"
            }
        case .jump:
            // (imm/reg, imm/reg, reg/fpo), and an imm target must be <= n.
            guard !instruction.isStore else { return "D is set on a non-DEREF instruction" }
            guard modes.0 != .fpo, modes.1 != .fpo, modes.2 != .imm else {
                return "modes not allowed for jump"
            }
            guard modes.1 != .imm || instruction.o2 <= instructionCount else {
                return "imm jump target \(instruction.o2) exceeds n = \(instructionCount)"
            }
        }
        return nil
    }
}
