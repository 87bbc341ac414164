import KeelVM

/// A deliberately plain Keel VM interpreter, written straight from spec/VM.md sections 2 to 5.
///
/// It is the oracle of the differential tests of the fast `Interpreter`, so it favours being
/// obviously right over being fast: memory is a `[UInt32]` of `M` cells, every address is a
/// `UInt64` integer that is never reduced mod `p`, field arithmetic is done here from the
/// definition (not through `KoalaBear`), and each instruction is evaluated by a function that
/// returns either a fault or the effect to apply, so a faulting instruction cannot write.
public enum ReferenceInterpreter {
    /// Runs `program` from the initial state of spec/VM.md section 2 until it halts or faults.
    ///
    /// - Parameters:
    ///   - program: A valid program (spec/VM.md section 6); an invalid one is a caller's bug.
    ///   - storage: Exactly `S` values, each below `p`; they become `m[0 ..< S)`.
    ///   - input: Exactly `I` values, each below `p`; they become `m[S ..< S+I)`.
    ///   - stepLimit: The caller's limit on executed instructions (spec/VM.md section 5).
    /// - Returns: The status, the steps executed, the final `pc`, and `m[S+I ..< S+I+O)` and
    ///   `m[0 ..< S)` as they are when the run ends (also on a fault).
    public static func run(
        _ program: Program, storage: [UInt32], input: [UInt32], stepLimit: UInt64
    ) -> ExecutionResult {
        if let violation = ReferenceValidity.violation(in: program) {
            preconditionFailure("ReferenceInterpreter needs a valid program: \(violation)")
        }
        precondition(storage.count == Int(program.storageCount), "storage must hold S values")
        precondition(input.count == Int(program.inputCount), "input must hold I values")
        precondition(storage.allSatisfy { $0 < ReferenceValidity.p }, "storage values must be < p")
        precondition(input.allSatisfy { $0 < ReferenceValidity.p }, "input values must be < p")

        var machine = ReferenceMachine(program: program, storage: storage, input: input)
        var status: ExecutionStatus
        while true {
            // Section 2: the program halts when pc == n. This is checked before the step limit,
            // so reaching pc == n with steps == limit is `halted`, not `step_limit`.
            if machine.pc == machine.instructionCount {
                status = .halted
                break
            }
            // Section 5: `step_limit` when an instruction is about to run while steps == limit.
            if machine.steps == stepLimit {
                status = .fault(.stepLimit)
                break
            }
            precondition(machine.pc < machine.instructionCount, "section 2: pc <= n")
            let instruction = program.instructions[Int(machine.pc)]
            let outcome = machine.evaluate(instruction)
            if case let .fault(fault) = outcome {
                // Section 5: stop at the first fault, pc left at the faulting instruction,
                // nothing written and the instruction not counted.
                status = .fault(fault)
                break
            }
            guard case let .effect(effect) = outcome else { preconditionFailure("unreachable") }
            machine.apply(effect)
        }
        precondition(machine.steps <= stepLimit, "never run more than the limit")
        return machine.result(status: status)
    }
}

/// What one instruction does when it does not fault: at most one write, then a new `pc` and `fp`.
struct ReferenceEffect {
    var write: (address: UInt64, value: UInt32)?
    var pc: UInt64
    var fp: UInt64
}

/// The outcome of evaluating one instruction (spec/VM.md section 4).
enum ReferenceOutcome {
    case fault(Fault)
    case effect(ReferenceEffect)
}

/// The machine state of spec/VM.md section 2, with the header counts it needs.
struct ReferenceMachine {
    /// `M = 2^L`.
    let memoryCellCount: UInt64
    /// `n`.
    let instructionCount: UInt64
    let storageCount: UInt64
    let inputCount: UInt64
    let outputCount: UInt64

    /// `m`: `M` cells, each a value in `[0, p)`.
    var memory: [UInt32]
    var pc: UInt64 = 0
    var fp: UInt64 = 0
    var steps: UInt64 = 0

    /// The initial state of section 2: every cell 0, then storage, then input.
    init(program: Program, storage: [UInt32], input: [UInt32]) {
        memoryCellCount = UInt64(1) << UInt64(program.memoryLog2)
        instructionCount = UInt64(program.instructions.count)
        storageCount = UInt64(program.storageCount)
        inputCount = UInt64(program.inputCount)
        outputCount = UInt64(program.outputCount)
        precondition(storageCount + inputCount + outputCount <= memoryCellCount, "S + I + O <= M")
        memory = [UInt32](repeating: 0, count: Int(memoryCellCount))
        for index in 0 ..< storage.count {
            memory[index] = storage[index]
        }
        for index in 0 ..< input.count {
            memory[Int(storageCount) + index] = input[index]
        }
    }

    /// `m[S+I ..< S+I+O)` and `m[0 ..< S)` under `status`.
    func result(status: ExecutionStatus) -> ExecutionResult {
        let outputStart = Int(storageCount + inputCount)
        let output = Array(memory[outputStart ..< outputStart + Int(outputCount)])
        let storage = Array(memory[0 ..< Int(storageCount)])
        precondition(output.count == Int(outputCount), "O output values")
        precondition(pc <= instructionCount, "pc <= n")
        return ExecutionResult(
            status: status, steps: steps, pc: UInt32(pc), output: output, storage: storage
        )
    }

    /// Applies a non-faulting instruction's effect and counts it as a step.
    mutating func apply(_ effect: ReferenceEffect) {
        if let write = effect.write {
            precondition(write.address < memoryCellCount, "writes were bounds-checked")
            precondition(write.value < ReferenceValidity.p, "cells hold values")
            memory[Int(write.address)] = write.value
        }
        precondition(effect.pc <= instructionCount, "section 2: pc <= n")
        precondition(effect.fp < memoryCellCount, "section 2: fp < M")
        pc = effect.pc
        fp = effect.fp
        steps += 1
    }
}

// MARK: - Section 1 arithmetic and section 3 operands

extension ReferenceMachine {
    /// `(a + b) mod p`, from the definition.
    static func fieldAdd(_ a: UInt32, _ b: UInt32) -> UInt32 {
        UInt32((UInt64(a) + UInt64(b)) % UInt64(ReferenceValidity.p))
    }

    /// `(a · b) mod p`, from the definition.
    static func fieldMul(_ a: UInt32, _ b: UInt32) -> UInt32 {
        UInt32((UInt64(a) * UInt64(b)) % UInt64(ReferenceValidity.p))
    }

    /// `m[address]`, or `nil` when `address >= M` (section 3: `memory_out_of_bounds`).
    func cell(_ address: UInt64) -> UInt32? {
        guard address < memoryCellCount else { return nil }
        return memory[Int(address)]
    }

    /// The cell `fp + k` of `reg k` used as a place, or `nil` when it is `>= M`.
    func place(_ k: UInt32) -> UInt64? {
        let address = fp + UInt64(k)
        return address < memoryCellCount ? address : nil
    }

    /// An operand's value (section 3 table), or `nil` when reading it touches an address `>= M`.
    func value(_ mode: OperandMode, _ k: UInt32) -> UInt32? {
        switch mode {
        case .imm:
            return k
        case .reg:
            return cell(fp + UInt64(k))
        case .fpo:
            // `(fp + k) mod p`: unlike JUMP's frame operand, the value is reduced.
            return UInt32((fp + UInt64(k)) % UInt64(ReferenceValidity.p))
        }
    }
}

// MARK: - Section 4 instructions

extension ReferenceMachine {
    /// Evaluates one instruction against the current state without changing it.
    func evaluate(_ instruction: Instruction) -> ReferenceOutcome {
        switch instruction.opcode {
        case .add, .mul:
            return evaluateArithmetic(instruction)
        case .deref where instruction.isStore:
            return evaluateStore(instruction)
        case .deref:
            return evaluateLoad(instruction)
        case .jump:
            return evaluateJump(instruction)
        }
    }

    /// `add d, x, y` and `mul d, x, y`: `m[fp+d] <- X + Y` (or `X · Y`); `pc <- pc+1`.
    func evaluateArithmetic(_ instruction: Instruction) -> ReferenceOutcome {
        precondition(instruction.mode1 == .reg, "the destination is a place")
        precondition(!instruction.isStore, "D is 0 for add and mul")
        let x = value(instruction.mode2, instruction.o2)
        let y = value(instruction.mode3, instruction.o3)
        let destination = place(instruction.o1)
        guard let x, let y, let destination else { return .fault(.memoryOutOfBounds) }
        let result = instruction.opcode == .add ? Self.fieldAdd(x, y) : Self.fieldMul(x, y)
        return .effect(ReferenceEffect(write: (destination, result), pc: pc + 1, fp: fp))
    }

    /// `deref d, [b + k]`: `m[fp+d] <- m[m[fp+b] + k]`; `pc <- pc+1`.
    func evaluateLoad(_ instruction: Instruction) -> ReferenceOutcome {
        precondition(instruction.mode1 == .reg && instruction.mode2 == .reg, "load is (reg, reg, imm)")
        precondition(instruction.mode3 == .imm, "load is (reg, reg, imm)")
        guard let base = value(.reg, instruction.o2) else { return .fault(.memoryOutOfBounds) }
        // The computed address is an integer: no modular reduction (it is below 2^32).
        let address = UInt64(base) + UInt64(instruction.o3)
        guard let loaded = cell(address) else { return .fault(.memoryOutOfBounds) }
        guard let destination = place(instruction.o1) else { return .fault(.memoryOutOfBounds) }
        return .effect(ReferenceEffect(write: (destination, loaded), pc: pc + 1, fp: fp))
    }

    /// `deref [b + k], v`: `m[m[fp+b] + k] <- V`; `pc <- pc+1`.
    func evaluateStore(_ instruction: Instruction) -> ReferenceOutcome {
        precondition(instruction.mode1 == .reg && instruction.mode2 == .imm, "store is (reg, imm, _)")
        precondition(instruction.isStore, "store has D = 1")
        guard let stored = value(instruction.mode3, instruction.o3) else {
            return .fault(.memoryOutOfBounds)
        }
        guard let base = value(.reg, instruction.o1) else { return .fault(.memoryOutOfBounds) }
        // The computed address is an integer: no modular reduction (it is below 2^32).
        let address = UInt64(base) + UInt64(instruction.o2)
        guard address < memoryCellCount else { return .fault(.memoryOutOfBounds) }
        return .effect(ReferenceEffect(write: (address, stored), pc: pc + 1, fp: fp))
    }

    /// `jump c, t, f`: if `C != 0`, `pc <- T` and `fp <- F`; else `pc <- pc+1`.
    ///
    /// `T` and `F` are read only when `C != 0`. Faults are checked in the order
    /// `memory_out_of_bounds`, `jump_out_of_bounds` (`T > n`), `frame_out_of_bounds` (`F >= M`).
    func evaluateJump(_ instruction: Instruction) -> ReferenceOutcome {
        precondition(instruction.mode1 != .fpo && instruction.mode2 != .fpo, "c and t are imm/reg")
        precondition(instruction.mode3 != .imm, "f is reg/fpo")
        guard let condition = value(instruction.mode1, instruction.o1) else {
            return .fault(.memoryOutOfBounds)
        }
        if condition == 0 {
            return .effect(ReferenceEffect(write: nil, pc: pc + 1, fp: fp))
        }
        let target = value(instruction.mode2, instruction.o2)
        let frame: UInt64?
        if instruction.mode3 == .fpo {
            // For `f` in fpo mode, F = fp + k as an integer, not reduced mod p.
            frame = fp + UInt64(instruction.o3)
        } else {
            frame = value(.reg, instruction.o3).map { UInt64($0) }
        }
        guard let target, let frame else { return .fault(.memoryOutOfBounds) }
        guard UInt64(target) <= instructionCount else { return .fault(.jumpOutOfBounds) }
        guard frame < memoryCellCount else { return .fault(.frameOutOfBounds) }
        return .effect(ReferenceEffect(write: nil, pc: UInt64(target), fp: frame))
    }
}
