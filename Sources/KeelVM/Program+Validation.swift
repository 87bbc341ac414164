extension Program {
    /// The modes allowed per opcode and operand position (spec/VM.md section 4).
    static func allowedModes(_ opcode: Opcode, isStore: Bool, operand: Int) -> Set<OperandMode> {
        switch (opcode, operand) {
        case (.add, 1), (.mul, 1): return [.reg]
        case (.add, _), (.mul, _): return [.imm, .reg, .fpo]
        case (.deref, 1): return [.reg]
        case (.deref, 2): return isStore ? [.imm] : [.reg]
        case (.deref, _): return isStore ? [.imm, .reg, .fpo] : [.imm]
        case (.jump, 1), (.jump, 2): return [.imm, .reg]
        case (.jump, _): return [.reg, .fpo]
        }
    }

    /// Checks every rule of spec/VM.md section 6 that a `Program` value can break: the header
    /// bounds, the counts, and each instruction's modes, operands and `imm` jump target.
    ///
    /// - Throws: the first rule broken, as a `ProgramError`.
    public func validate() throws(ProgramError) {
        guard (Self.memoryLog2Min...Self.memoryLog2Max).contains(memoryLog2) else {
            throw .memoryLog2OutOfRange(memoryLog2)
        }
        let total = UInt64(storageCount) + UInt64(inputCount) + UInt64(outputCount)
        guard total <= UInt64(memoryCellCount) else {
            throw .countsExceedMemory(
                storage: storageCount, input: inputCount, output: outputCount, memoryCells: memoryCellCount)
        }
        guard instructions.count <= Int(Self.instructionCountMax) else {
            throw .tooManyInstructions(UInt32(clamping: instructions.count))
        }
        for (index, instruction) in instructions.enumerated() {
            do throws(InstructionError) {
                try instruction.validate(instructionCount: instructionCount)
            } catch {
                throw .invalidInstruction(index: index, reason: error)
            }
        }
    }
}

extension Instruction {
    /// Checks the mode rules, the field bound on operands and an `imm` jump target.
    public func validate(instructionCount: UInt32) throws(InstructionError) {
        if isStore && opcode != .deref { throw .directionBitOnNonDeref(opcode) }
        let operands = [(mode1, o1), (mode2, o2), (mode3, o3)]
        for (position, (mode, value)) in operands.enumerated() {
            guard Program.allowedModes(opcode, isStore: isStore, operand: position + 1).contains(mode) else {
                throw .modeNotAllowed(opcode: opcode, isStore: isStore, operand: position + 1, mode: mode)
            }
            guard value < KoalaBear.p else { throw .operandNotInField(operand: position + 1, value: value) }
        }
        if opcode == .jump && mode2 == .imm && o2 > instructionCount {
            throw .jumpTargetOutOfRange(target: o2, instructionCount: instructionCount)
        }
    }
}
