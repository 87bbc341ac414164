/// An instruction lowered for the interpreter: the operand modes folded into one operation code,
/// so that the hot loop dispatches once per instruction instead of once per operand.
///
/// ADD and MUL are commutative, so their sources are put in a canonical order
/// (reg before fpo before imm) to halve the number of cases. Reading both sources happens
/// before any write and any fault is the same fault whatever the order, so this cannot change
/// the result.
struct DecodedInstruction: Sendable {
    enum Operation: UInt8, Sendable {
        case addRegReg, addRegFpo, addRegImm, addFpoFpo, addFpoImm, addImmImm
        case mulRegReg, mulRegFpo, mulRegImm, mulFpoFpo, mulFpoImm, mulImmImm
        case load
        case storeImm, storeReg, storeFpo
        // jump<condition><target><frame>
        case jumpImmImmReg, jumpImmImmFpo, jumpImmRegReg, jumpImmRegFpo
        case jumpRegImmReg, jumpRegImmFpo, jumpRegRegReg, jumpRegRegFpo
    }

    var operation: Operation
    var a: UInt32
    var b: UInt32
    var c: UInt32

    /// Lowers a valid instruction. The mode rules were checked when the program was built.
    init(_ instruction: Instruction) {
        switch instruction.opcode {
        case .add, .mul:
            precondition(instruction.mode1 == .reg, "destination must be a register")
            var x = (instruction.mode2, instruction.o2)
            var y = (instruction.mode3, instruction.o3)
            if Self.sourceRank(y.0) < Self.sourceRank(x.0) { swap(&x, &y) }
            let isAdd = instruction.opcode == .add
            operation = Self.binaryOperation(isAdd: isAdd, x.0, y.0)
            (a, b, c) = (instruction.o1, x.1, y.1)
        case .deref:
            if instruction.isStore {
                precondition(instruction.mode1 == .reg && instruction.mode2 == .imm, "bad store modes")
                switch instruction.mode3 {
                case .imm: operation = .storeImm
                case .reg: operation = .storeReg
                case .fpo: operation = .storeFpo
                }
            } else {
                precondition(
                    instruction.mode1 == .reg && instruction.mode2 == .reg && instruction.mode3 == .imm,
                    "bad load modes")
                operation = .load
            }
            (a, b, c) = (instruction.o1, instruction.o2, instruction.o3)
        case .jump:
            operation = Self.jumpOperation(instruction.mode1, instruction.mode2, instruction.mode3)
            (a, b, c) = (instruction.o1, instruction.o2, instruction.o3)
        }
    }

    private static func sourceRank(_ mode: OperandMode) -> Int {
        switch mode {
        case .reg: return 0
        case .fpo: return 1
        case .imm: return 2
        }
    }

    private static func binaryOperation(isAdd: Bool, _ x: OperandMode, _ y: OperandMode) -> Operation {
        switch (x, y) {
        case (.reg, .reg): return isAdd ? .addRegReg : .mulRegReg
        case (.reg, .fpo): return isAdd ? .addRegFpo : .mulRegFpo
        case (.reg, .imm): return isAdd ? .addRegImm : .mulRegImm
        case (.fpo, .fpo): return isAdd ? .addFpoFpo : .mulFpoFpo
        case (.fpo, .imm): return isAdd ? .addFpoImm : .mulFpoImm
        case (.imm, .imm): return isAdd ? .addImmImm : .mulImmImm
        default: preconditionFailure("sources are in canonical order")
        }
    }

    private static func jumpOperation(_ c: OperandMode, _ t: OperandMode, _ f: OperandMode) -> Operation {
        precondition(c != .fpo && t != .fpo && f != .imm, "bad jump modes")
        switch (c, t, f) {
        case (.imm, .imm, .reg): return .jumpImmImmReg
        case (.imm, .imm, _): return .jumpImmImmFpo
        case (.imm, .reg, .reg): return .jumpImmRegReg
        case (.imm, .reg, _): return .jumpImmRegFpo
        case (.reg, .imm, .reg): return .jumpRegImmReg
        case (.reg, .imm, _): return .jumpRegImmFpo
        case (.reg, .reg, .reg): return .jumpRegRegReg
        default: return .jumpRegRegFpo
        }
    }
}
