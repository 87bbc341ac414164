import KeelVM

// MARK: - Single instructions

extension RandomProgram {
    /// One random instruction obeying the mode rules of spec/VM.md section 4.
    static func makeInstruction(
        at index: UInt32, _ shape: Shape, _ rng: inout some RandomNumberGenerator
    ) -> Instruction {
        switch pick([30, 15, 12, 13, 30], &rng) {
        case 0, 1:
            // add/mul: (reg, imm/reg/fpo, imm/reg/fpo)
            let opcode: Opcode = percent(67, &rng) ? .add : .mul
            let destination = makeRegister(shape, &rng)
            let x = makeValueOperand(shape, &rng)
            let y = makeValueOperand(shape, &rng)
            return Instruction(opcode, .reg, destination, x.0, x.1, y.0, y.1)
        case 2:
            // deref load: (reg, reg, imm)
            let destination = makeRegister(shape, &rng)
            let base = makeRegister(shape, &rng)
            let offset = makeDerefOffset(shape, &rng)
            return Instruction(.deref, .reg, destination, .reg, base, .imm, offset)
        case 3:
            // deref store: (reg, imm, imm/reg/fpo)
            let base = makeRegister(shape, &rng)
            let offset = makeDerefOffset(shape, &rng)
            // fpo values are mostly visible through stores: add and mul reduce them again.
            let stored = makeValueOperand(shape, weights: [30, 40, 30], &rng)
            return Instruction(.deref, .reg, base, .imm, offset, stored.0, stored.1, isStore: true)
        default:
            return makeJump(at: index, shape, &rng)
        }
    }

    /// A random `jump c, t, f`: (imm/reg, imm/reg, reg/fpo) with an imm target at most `n`.
    static func makeJump(
        at index: UInt32, _ shape: Shape, _ rng: inout some RandomNumberGenerator
    ) -> Instruction {
        let condition: (OperandMode, UInt32)
        switch pick([45, 15, 40], &rng) {
        case 0: condition = (.imm, max(makeImmediate(shape, &rng), 1))
        case 1: condition = (.imm, 0)
        default: condition = (.reg, makeRegister(shape, &rng))
        }
        let target: (OperandMode, UInt32)
        if percent(70, &rng) {
            target = (.imm, makeJumpTarget(at: index, shape, &rng))
        } else {
            target = (.reg, makeRegister(shape, &rng))
        }
        let frame: (OperandMode, UInt32)
        switch pick([40, 35, 20, 5], &rng) {
        case 0: frame = (.fpo, 0)
        case 1: frame = (.fpo, makeFrameOffset(shape, &rng))
        case 2: frame = (.reg, makeRegister(shape, &rng))
        default: frame = (.reg, nearMemoryEnd(shape, &rng))
        }
        precondition(target.0 == .reg || target.1 <= shape.instructionCount, "imm target <= n")
        return Instruction(.jump, condition.0, condition.1, target.0, target.1, frame.0, frame.1)
    }

    /// An imm jump target: backward (a loop), forward, or exactly `n` (a halt).
    static func makeJumpTarget(
        at index: UInt32, _ shape: Shape, _ rng: inout some RandomNumberGenerator
    ) -> UInt32 {
        let n = shape.instructionCount
        // A loop body may be generated past n before the program is cut to length.
        let here = min(index, n)
        let target: UInt32
        switch pick([40, 40, 20], &rng) {
        case 0: target = uniform(0 ... here, &rng)
        case 1: target = uniform(here ... n, &rng)
        default: target = n
        }
        precondition(target <= n, "section 6: an imm jump target is at most n")
        return target
    }
}

// MARK: - Operand fields

extension RandomProgram {
    /// A value operand (imm/reg/fpo) with a field drawn to suit its mode.
    static func makeValueOperand(
        _ shape: Shape, weights: [UInt64] = [45, 40, 15], _ rng: inout some RandomNumberGenerator
    ) -> (OperandMode, UInt32) {
        precondition(weights.count == 3, "weights for imm, reg and fpo")
        switch pick(weights, &rng) {
        case 0: return (.imm, makeImmediate(shape, &rng))
        case 1: return (.reg, makeRegister(shape, &rng))
        default: return (.fpo, makeFrameOffset(shape, &rng))
        }
    }

    /// A `reg` field: mostly 0 to 7, sometimes past `M` or huge.
    static func makeRegister(_ shape: Shape, _ rng: inout some RandomNumberGenerator) -> UInt32 {
        switch pick([80, 10, 5, 3, 2], &rng) {
        case 0: return small(7, &rng)
        case 1: return uniform(8 ... 20, &rng)
        case 2: return nearMemoryEnd(shape, &rng)
        case 3: return nearFieldEnd(&rng)
        default: return anyValue(&rng)
        }
    }

    /// An `imm` value: small, an instruction index, near `M`, near `p - 1`, or anything.
    static func makeImmediate(_ shape: Shape, _ rng: inout some RandomNumberGenerator) -> UInt32 {
        switch pick([45, 20, 15, 10, 10], &rng) {
        case 0: return small(20, &rng)
        case 1: return uniform(0 ... shape.instructionCount + 1, &rng)
        case 2: return nearMemoryEnd(shape, &rng)
        case 3: return nearFieldEnd(&rng)
        default: return anyValue(&rng)
        }
    }

    /// An `fpo` field: mostly small; near `p - 1` it wraps as a value and overflows as a frame.
    static func makeFrameOffset(_ shape: Shape, _ rng: inout some RandomNumberGenerator) -> UInt32 {
        switch pick([70, 10, 10, 10], &rng) {
        case 0: return small(8, &rng)
        case 1: return nearMemoryEnd(shape, &rng)
        case 2: return nearFieldEnd(&rng)
        default: return anyValue(&rng)
        }
    }

    /// DEREF's `imm` offset `k` in `m[fp+b] + k`.
    static func makeDerefOffset(_ shape: Shape, _ rng: inout some RandomNumberGenerator) -> UInt32 {
        switch pick([70, 10, 10, 10], &rng) {
        case 0: return small(20, &rng)
        case 1: return nearMemoryEnd(shape, &rng)
        case 2: return nearFieldEnd(&rng)
        default: return anyValue(&rng)
        }
    }

    /// A storage or input value.
    static func makeCellValue(_ shape: Shape, _ rng: inout some RandomNumberGenerator) -> UInt32 {
        switch pick([50, 15, 10, 10, 15], &rng) {
        case 0: return small(20, &rng)
        case 1: return nearMemoryEnd(shape, &rng)
        case 2: return uniform(0 ... shape.instructionCount + 1, &rng)
        case 3: return nearFieldEnd(&rng)
        default: return anyValue(&rng)
        }
    }
}

// MARK: - Draws

extension RandomProgram {
    /// A value in `0 ... max`.
    static func small(_ max: UInt32, _ rng: inout some RandomNumberGenerator) -> UInt32 {
        uniform(0 ... max, &rng)
    }

    /// A value in `M - 3 ... M + 2`, straddling the first out-of-bounds address.
    static func nearMemoryEnd(_ shape: Shape, _ rng: inout some RandomNumberGenerator) -> UInt32 {
        precondition(shape.memoryCellCount >= 16, "section 6: M >= 2^4")
        return uniform(shape.memoryCellCount - 3 ... shape.memoryCellCount + 2, &rng)
    }

    /// A value in `p - 8 ... p - 1`: a small negative number, and as an fpo field one that makes
    /// `fp + k` reach `p` once `fp` is small but not zero.
    static func nearFieldEnd(_ rng: inout some RandomNumberGenerator) -> UInt32 {
        uniform(ReferenceValidity.p - 8 ... ReferenceValidity.p - 1, &rng)
    }

    /// Any value in `[0, p)`.
    static func anyValue(_ rng: inout some RandomNumberGenerator) -> UInt32 {
        uniform(0 ... ReferenceValidity.p - 1, &rng)
    }

    /// `true` with probability `chance` percent.
    static func percent(_ chance: UInt64, _ rng: inout some RandomNumberGenerator) -> Bool {
        precondition(chance <= 100, "a percentage")
        return uniform(0 ... 99, &rng) < chance
    }

    /// An index into `weights`, each chosen with probability proportional to its weight.
    static func pick(_ weights: [UInt64], _ rng: inout some RandomNumberGenerator) -> Int {
        let total = weights.reduce(0, +)
        precondition(total > 0, "some weight is positive")
        var draw = uniform(0 ... total - 1, &rng)
        for (index, weight) in weights.enumerated() {
            if draw < weight { return index }
            draw -= weight
        }
        preconditionFailure("draw < total")
    }

    /// A value in `range`, by the multiply-high method.
    ///
    /// Written here rather than using `UInt32.random(in:using:)` so that the values drawn from a
    /// seed depend only on this code, not on the standard library's version.
    static func uniform(
        _ range: ClosedRange<UInt32>, _ rng: inout some RandomNumberGenerator
    ) -> UInt32 {
        UInt32(uniform(UInt64(range.lowerBound) ... UInt64(range.upperBound), &rng))
    }

    /// A value in `range` (the tiny bias of multiply-high does not matter for tests).
    static func uniform(
        _ range: ClosedRange<UInt64>, _ rng: inout some RandomNumberGenerator
    ) -> UInt64 {
        let width = range.upperBound - range.lowerBound
        guard width < UInt64.max else { return rng.next() }
        let value = range.lowerBound + rng.next().multipliedFullWidth(by: width + 1).high
        precondition(range.contains(value), "value in range")
        return value
    }
}
