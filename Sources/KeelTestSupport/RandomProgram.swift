import KeelVM

/// Random valid Keel VM programs (spec/VM.md section 6) for differential tests and fuzzers.
///
/// The programs are valid, but shaped to reach every behaviour of sections 2 to 5: memory is
/// mostly tiny (`L` 4 to 8) so out-of-bounds addresses are common; operand fields are mostly
/// small, sometimes near `M`, near `p - 1` or anything below `p`; registers are often set to
/// small constants so DEREF bases are addresses; and besides single random instructions the
/// generator emits counted loops, endless loops, calls that move `fp`, returns through
/// registers, and halts. Everything is drawn from the caller's generator, so a seeded
/// `SplitMix64` makes the whole case reproducible.
public enum RandomProgram {
    /// The largest instruction count `make` produces.
    public static let instructionCountMax: UInt32 = 40
    /// The largest step limit `makeStepLimit` produces.
    public static let stepLimitMax: UInt64 = 2000
    /// The largest storage, input and output count `make` produces. Large counts in small
    /// memories make registers overlap storage and output, so more effects are observable.
    public static let cellCountMax: UInt32 = 8

    /// The header values that instruction generation depends on.
    struct Shape {
        /// `M = 2^L`.
        var memoryCellCount: UInt32
        /// `n`.
        var instructionCount: UInt32
    }

    /// Returns a random program that is valid per spec/VM.md section 6.
    ///
    /// - Parameters:
    ///   - rng: The only source of randomness.
    /// - Returns: A program with `4 <= L <= 24`, `n <= instructionCountMax`, and counts of at most
    ///   `cellCountMax` cells each.
    public static func make(using rng: inout some RandomNumberGenerator) -> Program {
        let memoryLog2 = makeMemoryLog2(using: &rng)
        let memoryCellCount = UInt32(1) << UInt32(memoryLog2)
        let countMax = min(memoryCellCount / 3, cellCountMax)
        let storageCount = uniform(0 ... countMax, &rng)
        let inputCount = uniform(0 ... countMax, &rng)
        let outputCount = uniform(0 ... countMax, &rng)
        let instructionCount = makeInstructionCount(using: &rng)
        let shape = Shape(memoryCellCount: memoryCellCount, instructionCount: instructionCount)

        var instructions: [Instruction] = []
        instructions.reserveCapacity(Int(instructionCount) + 8)
        while instructions.count < Int(instructionCount) {
            let snippet = makeSnippet(at: UInt32(instructions.count), shape, &rng)
            precondition(!snippet.isEmpty, "every snippet makes progress")
            instructions += snippet
        }
        // A snippet may run past n; cutting it keeps every imm jump target valid, because each
        // snippet's targets are at most n.
        instructions.removeLast(instructions.count - Int(instructionCount))

        let program = Program(
            memoryLog2: memoryLog2,
            storageCount: storageCount,
            inputCount: inputCount,
            outputCount: outputCount,
            instructions: instructions
        )
        if let violation = ReferenceValidity.violation(in: program) {
            preconditionFailure("RandomProgram made an invalid program: \(violation)")
        }
        return program
    }

    /// Returns random storage and input vectors of the lengths `program` expects.
    ///
    /// Values are biased like operands: often small (so they serve as addresses and targets),
    /// sometimes near `M` or near `p - 1`, sometimes anything below `p`.
    ///
    /// - Parameters:
    ///   - program: The program the vectors are for.
    ///   - rng: The only source of randomness.
    /// - Returns: `S` storage values and `I` input values, each below `p`.
    public static func makeStorageAndInput(
        for program: Program, using rng: inout some RandomNumberGenerator
    ) -> (storage: [UInt32], input: [UInt32]) {
        let shape = Shape(
            memoryCellCount: program.memoryCellCount, instructionCount: program.instructionCount
        )
        var storage: [UInt32] = []
        for _ in 0 ..< program.storageCount {
            storage.append(makeCellValue(shape, &rng))
        }
        var input: [UInt32] = []
        for _ in 0 ..< program.inputCount {
            input.append(makeCellValue(shape, &rng))
        }
        precondition(storage.count == Int(program.storageCount), "S storage values")
        precondition(input.count == Int(program.inputCount), "I input values")
        return (storage, input)
    }

    /// Returns a random step limit in `0 ... stepLimitMax`, mostly small to keep runs short.
    ///
    /// - Parameters:
    ///   - rng: The only source of randomness.
    /// - Returns: A limit; about 10% are at most 3, and about 5% exceed 500.
    public static func makeStepLimit(using rng: inout some RandomNumberGenerator) -> UInt64 {
        let limit: UInt64
        switch pick([10, 60, 25, 5], &rng) {
        case 0: limit = uniform(0 ... 3, &rng)
        case 1: limit = uniform(0 ... 100, &rng)
        case 2: limit = uniform(0 ... 500, &rng)
        default: limit = uniform(0 ... stepLimitMax, &rng)
        }
        precondition(limit <= stepLimitMax, "limit in range")
        return limit
    }
}

// MARK: - Header

extension RandomProgram {
    /// `L`: mostly 4 or 5, rarely up to 24 (large memories are slow to allocate).
    static func makeMemoryLog2(using rng: inout some RandomNumberGenerator) -> UInt8 {
        let memoryLog2: UInt32
        switch pick([450, 250, 170, 128, 2], &rng) {
        case 0: memoryLog2 = 4
        case 1: memoryLog2 = 5
        case 2: memoryLog2 = uniform(6 ... 8, &rng)
        case 3: memoryLog2 = uniform(9 ... 16, &rng)
        default: memoryLog2 = uniform(17 ... 24, &rng)
        }
        precondition(memoryLog2 >= 4 && memoryLog2 <= 24, "section 6: 4 <= L <= 24")
        return UInt8(memoryLog2)
    }

    /// `n`: sometimes 0, mostly 6 to 40.
    static func makeInstructionCount(using rng: inout some RandomNumberGenerator) -> UInt32 {
        let count: UInt32
        switch pick([5, 20, 45, 30], &rng) {
        case 0: count = 0
        case 1: count = uniform(1 ... 5, &rng)
        case 2: count = uniform(6 ... 20, &rng)
        default: count = uniform(21 ... instructionCountMax, &rng)
        }
        precondition(count <= instructionCountMax, "n in range")
        return count
    }
}

// MARK: - Snippets

extension RandomProgram {
    /// One or more instructions starting at index `start`; imm jump targets are at most `n`.
    static func makeSnippet(
        at start: UInt32, _ shape: Shape, _ rng: inout some RandomNumberGenerator
    ) -> [Instruction] {
        precondition(start < shape.instructionCount, "snippets start inside the program")
        let n = shape.instructionCount
        switch pick([52, 15, 8, 5, 5, 4, 5, 6], &rng) {
        case 0:
            return [makeInstruction(at: start, shape, &rng)]
        case 1:
            return [makeSetSmallConstant(shape, &rng)]
        case 2:
            return makeCountedLoop(at: start, shape, &rng)
        case 3:
            return makeCall(at: start, shape, &rng)
        case 4:
            // A return by the calling convention of section 4: pc <- r0, fp <- r1.
            return [Instruction(.jump, .imm, 1, .reg, 0, .reg, 1)]
        case 5:
            return [Instruction.halt(instructionCount: n)]
        case 6:
            // Move the frame up and fall through, so that fp is often not 0.
            return [Instruction(.jump, .imm, 1, .imm, start + 1, .fpo, uniform(1 ... 4, &rng))]
        default:
            // A backward jump: an endless loop, or a conditional one when C is a register.
            let condition = percent(50, &rng) ? (OperandMode.imm, UInt32(1)) : (.reg, small(7, &rng))
            let target = uniform(0 ... start, &rng)
            return [Instruction(.jump, condition.0, condition.1, .imm, target, .fpo, 0)]
        }
    }

    /// `add rK, v, 0` (or `add rK, fp+v, 0`): puts a small address in a register for DEREF.
    static func makeSetSmallConstant(
        _ shape: Shape, _ rng: inout some RandomNumberGenerator
    ) -> Instruction {
        let register = percent(85, &rng) ? small(7, &rng) : makeRegister(shape, &rng)
        let constant = uniform(0 ... min(shape.memoryCellCount - 1, 31), &rng)
        let mode: OperandMode = percent(80, &rng) ? .imm : .fpo
        return Instruction(.add, .reg, register, mode, constant, .imm, 0)
    }

    /// `rC <- count; body; rC <- rC - 1; jump rC, body` — a loop that runs `count` times.
    static func makeCountedLoop(
        at start: UInt32, _ shape: Shape, _ rng: inout some RandomNumberGenerator
    ) -> [Instruction] {
        let counter = small(7, &rng)
        let count: UInt32 = uniform(1 ... 12, &rng)
        var loop = [Instruction(.add, .reg, counter, .imm, count, .imm, 0)]
        for _ in 0 ..< uniform(UInt32(0) ... 2, &rng) {
            loop.append(makeInstruction(at: start + UInt32(loop.count), shape, &rng))
        }
        loop.append(Instruction(.add, .reg, counter, .reg, counter, .imm, ReferenceValidity.p - 1))
        // The target start + 1 is at most n whenever this jump survives truncation.
        loop.append(Instruction(.jump, .reg, counter, .imm, start + 1, .fpo, 0))
        precondition(loop.count >= 3 && loop.count <= 5, "loop shape")
        return loop
    }

    /// A call by the convention of section 4: the callee's r0 gets the return address and its r1
    /// the caller's fp, then `jump 1, target, fp+k` moves the frame up by `k`.
    static func makeCall(
        at start: UInt32, _ shape: Shape, _ rng: inout some RandomNumberGenerator
    ) -> [Instruction] {
        let frameOffset: UInt32 = uniform(2 ... 8, &rng)
        let target = uniform(0 ... shape.instructionCount, &rng)
        let call = [
            Instruction(.add, .reg, frameOffset, .imm, start + 3, .imm, 0),
            Instruction(.add, .reg, frameOffset + 1, .fpo, 0, .imm, 0),
            Instruction(.jump, .imm, 1, .imm, target, .fpo, frameOffset),
        ]
        precondition(target <= shape.instructionCount, "imm jump target <= n")
        return call
    }
}
