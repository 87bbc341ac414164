#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Keel VM interpreter (spec/VM.md sections 2–5), built for speed and exact about faults.
///
/// The program is lowered once, at `init`, into `DecodedInstruction`s whose operation code
/// already encodes the operand modes; a run then touches only raw pointers and allocates
/// nothing per step. Memory is `calloc`ed, so a large `2^L` costs only the pages it touches.
///
/// - Important: the interpreter is pure: the same program, storage, input and limit give the
///   same result on every machine. `Tests/KeelVMTests/DifferentialTests.swift` holds it to a
///   plain reference interpreter written straight from the spec.
public struct Interpreter: Sendable {
    /// The default and largest step limit of `keel vm run` (spec/VM.md section 8).
    public static let stepLimitDefault: UInt64 = 100_000_000

    public let program: Program
    private let code: [DecodedInstruction]

    /// Lowers `program` for execution. `program` must be valid (decoded, assembled or
    /// checked with `Program.validate()`).
    public init(_ program: Program) {
        self.program = program
        self.code = program.instructions.map(DecodedInstruction.init)
        precondition(code.count == program.instructions.count)
    }

    /// Runs the program once from the initial state of spec/VM.md section 2.
    ///
    /// - Parameters:
    ///   - storage: exactly `S` field values for `m[0 ..< S)`.
    ///   - input: exactly `I` field values for `m[S ..< S+I)`.
    ///   - stepLimit: the run faults with `step_limit` when an instruction is about to run
    ///     after `stepLimit` steps.
    /// - Returns: the outcome; a VM fault is a normal result, not an error.
    /// - Throws: `ExecutionInputError` when `storage` or `input` does not fit the header.
    public func run(
        storage: [UInt32], input: [UInt32], stepLimit: UInt64
    ) throws(ExecutionInputError) -> ExecutionResult {
        try Self.checkValues(storage, expected: program.storageCount, isStorage: true)
        try Self.checkValues(input, expected: program.inputCount, isStorage: false)
        let cellCount = Int(program.memoryCellCount)
        guard let raw = calloc(cellCount, MemoryLayout<UInt32>.stride) else {
            preconditionFailure("cannot allocate \(cellCount) VM memory cells")
        }
        defer { free(raw) }
        let memory = raw.bindMemory(to: UInt32.self, capacity: cellCount)
        let storageCount = Int(program.storageCount)
        let inputCount = Int(program.inputCount)
        storage.withUnsafeBufferPointer { memory.update(from: $0.baseAddress!, count: storageCount) }
        input.withUnsafeBufferPointer { (memory + storageCount).update(from: $0.baseAddress!, count: inputCount) }

        let end = code.withUnsafeBufferPointer {
            Self.execute($0, memory: memory, cellCount: program.memoryCellCount, stepLimit: stepLimit)
        }
        let outputStart = memory + storageCount + inputCount
        return ExecutionResult(
            status: end.status,
            steps: end.steps,
            pc: end.pc,
            output: Array(UnsafeBufferPointer(start: outputStart, count: Int(program.outputCount))),
            storage: Array(UnsafeBufferPointer(start: memory, count: storageCount))
        )
    }

    private static func checkValues(
        _ values: [UInt32], expected: UInt32, isStorage: Bool
    ) throws(ExecutionInputError) {
        guard values.count == Int(expected) else {
            throw isStorage
                ? .storageCountMismatch(expected: expected, got: values.count)
                : .inputCountMismatch(expected: expected, got: values.count)
        }
        if let bad = values.first(where: { $0 >= KoalaBear.p }) {
            throw .valueNotInField(value: bad)
        }
    }

    // MARK: - The loop

    typealias End = (status: ExecutionStatus, steps: UInt64, pc: UInt32)

    @inline(never)
    static func execute(
        _ code: UnsafeBufferPointer<DecodedInstruction>,
        memory m: UnsafeMutablePointer<UInt32>,
        cellCount: UInt32,
        stepLimit: UInt64
    ) -> End {
        let n = UInt32(code.count)
        var pc: UInt32 = 0
        var fp: UInt32 = 0
        var steps: UInt64 = 0
        while true {
            // Invariant: pc <= n (jump targets are checked) and fp < M (frames are checked).
            if pc == n { return (.halted, steps, pc) }
            if steps == stepLimit { return (.fault(.stepLimit), steps, pc) }
            let i = code[Int(pc)]
            var fault: Fault? = nil
            switch i.operation {
            case .addRegReg: fault = binary(i, .reg, .reg, add: true, &pc, fp, m, cellCount)
            case .addRegFpo: fault = binary(i, .reg, .fpo, add: true, &pc, fp, m, cellCount)
            case .addRegImm: fault = binary(i, .reg, .imm, add: true, &pc, fp, m, cellCount)
            case .addFpoFpo: fault = binary(i, .fpo, .fpo, add: true, &pc, fp, m, cellCount)
            case .addFpoImm: fault = binary(i, .fpo, .imm, add: true, &pc, fp, m, cellCount)
            case .addImmImm: fault = binary(i, .imm, .imm, add: true, &pc, fp, m, cellCount)
            case .mulRegReg: fault = binary(i, .reg, .reg, add: false, &pc, fp, m, cellCount)
            case .mulRegFpo: fault = binary(i, .reg, .fpo, add: false, &pc, fp, m, cellCount)
            case .mulRegImm: fault = binary(i, .reg, .imm, add: false, &pc, fp, m, cellCount)
            case .mulFpoFpo: fault = binary(i, .fpo, .fpo, add: false, &pc, fp, m, cellCount)
            case .mulFpoImm: fault = binary(i, .fpo, .imm, add: false, &pc, fp, m, cellCount)
            case .mulImmImm: fault = binary(i, .imm, .imm, add: false, &pc, fp, m, cellCount)
            case .load: fault = load(i, &pc, fp, m, cellCount)
            case .storeImm: fault = store(i, .imm, &pc, fp, m, cellCount)
            case .storeReg: fault = store(i, .reg, &pc, fp, m, cellCount)
            case .storeFpo: fault = store(i, .fpo, &pc, fp, m, cellCount)
            case .jumpImmImmReg: fault = jump(i, .imm, .imm, .reg, &pc, &fp, m, cellCount, n)
            case .jumpImmImmFpo: fault = jump(i, .imm, .imm, .fpo, &pc, &fp, m, cellCount, n)
            case .jumpImmRegReg: fault = jump(i, .imm, .reg, .reg, &pc, &fp, m, cellCount, n)
            case .jumpImmRegFpo: fault = jump(i, .imm, .reg, .fpo, &pc, &fp, m, cellCount, n)
            case .jumpRegImmReg: fault = jump(i, .reg, .imm, .reg, &pc, &fp, m, cellCount, n)
            case .jumpRegImmFpo: fault = jump(i, .reg, .imm, .fpo, &pc, &fp, m, cellCount, n)
            case .jumpRegRegReg: fault = jump(i, .reg, .reg, .reg, &pc, &fp, m, cellCount, n)
            case .jumpRegRegFpo: fault = jump(i, .reg, .reg, .fpo, &pc, &fp, m, cellCount, n)
            }
            if let fault { return (.fault(fault), steps, pc) }
            steps &+= 1
        }
    }

    // The helpers below are always inlined with constant modes, so each call site above
    // compiles to straight-line code for its own mode combination.
    //
    // Each helper advances `pc` itself, on success only. Computing `pc + 1` after the switch from
    // the operation code (`if op < jump { pc += 1 }`) compiled to a branchless `cmp; adc`, which
    // makes the next instruction's address wait for this one's operation byte to load, so the CPU
    // cannot run ahead: 3.5-3.8 ns per VM instruction, 1.6-1.9x the C interpreter of
    // Benchmarks/Sources/CKeelVM. Incremented in the cases, `pc` is a control dependency that
    // branch prediction hides: 2.0-2.4 ns, 0.9-1.15x C (`scripts/bench`).

    /// The value of a source operand, or nil when a `reg` address is out of bounds.
    @inline(__always)
    static func source(
        _ mode: OperandMode, _ k: UInt32, _ fp: UInt32, _ m: UnsafeMutablePointer<UInt32>, _ cellCount: UInt32
    ) -> UInt32? {
        switch mode {
        case .imm:
            return k
        case .reg:
            // fp < 2^24 and k < 2^31: the sum cannot wrap.
            let address = fp &+ k
            return address < cellCount ? m[Int(address)] : nil
        case .fpo:
            // fp + k < 2p, so one conditional subtraction reduces it.
            let sum = fp &+ k
            return sum >= KoalaBear.p ? sum &- KoalaBear.p : sum
        }
    }

    @inline(__always)
    static func binary(
        _ i: DecodedInstruction, _ xMode: OperandMode, _ yMode: OperandMode, add: Bool,
        _ pc: inout UInt32, _ fp: UInt32, _ m: UnsafeMutablePointer<UInt32>, _ cellCount: UInt32
    ) -> Fault? {
        let destination = fp &+ i.a
        guard destination < cellCount,
            let x = source(xMode, i.b, fp, m, cellCount),
            let y = source(yMode, i.c, fp, m, cellCount)
        else { return .memoryOutOfBounds }
        m[Int(destination)] = add ? KoalaBear.add(x, y) : KoalaBear.mul(x, y)
        pc &+= 1
        return nil
    }

    /// `deref d, [b + k]`: `m[fp+d] <- m[m[fp+b] + k]`, the computed address not reduced.
    @inline(__always)
    static func load(
        _ i: DecodedInstruction,
        _ pc: inout UInt32, _ fp: UInt32, _ m: UnsafeMutablePointer<UInt32>, _ cellCount: UInt32
    ) -> Fault? {
        let destination = fp &+ i.a
        let baseAddress = fp &+ i.b
        guard destination < cellCount, baseAddress < cellCount else { return .memoryOutOfBounds }
        // m[..] < p and k < p, so the sum is below 2^32.
        let address = m[Int(baseAddress)] &+ i.c
        guard address < cellCount else { return .memoryOutOfBounds }
        m[Int(destination)] = m[Int(address)]
        pc &+= 1
        return nil
    }

    /// `deref [b + k], v`: `m[m[fp+b] + k] <- V`.
    @inline(__always)
    static func store(
        _ i: DecodedInstruction, _ vMode: OperandMode,
        _ pc: inout UInt32, _ fp: UInt32, _ m: UnsafeMutablePointer<UInt32>, _ cellCount: UInt32
    ) -> Fault? {
        let baseAddress = fp &+ i.a
        guard baseAddress < cellCount, let value = source(vMode, i.c, fp, m, cellCount) else {
            return .memoryOutOfBounds
        }
        let address = m[Int(baseAddress)] &+ i.b
        guard address < cellCount else { return .memoryOutOfBounds }
        m[Int(address)] = value
        pc &+= 1
        return nil
    }

    /// `jump c, t, f`: when `C != 0`, `pc <- T` and `fp <- F`; else `pc <- pc + 1`.
    /// `T` and `F` are read only when the jump is taken; faults are checked in spec order.
    @inline(__always)
    static func jump(
        _ i: DecodedInstruction, _ cMode: OperandMode, _ tMode: OperandMode, _ fMode: OperandMode,
        _ pc: inout UInt32, _ fp: inout UInt32,
        _ m: UnsafeMutablePointer<UInt32>, _ cellCount: UInt32, _ n: UInt32
    ) -> Fault? {
        guard let condition = source(cMode, i.a, fp, m, cellCount) else { return .memoryOutOfBounds }
        guard condition != 0 else {
            pc &+= 1
            return nil
        }
        guard let target = source(tMode, i.b, fp, m, cellCount) else { return .memoryOutOfBounds }
        let frame: UInt32
        if fMode == .reg {
            guard let value = source(.reg, i.c, fp, m, cellCount) else { return .memoryOutOfBounds }
            frame = value
        } else {
            frame = fp &+ i.c  // fpo frame: fp + k as an integer, not reduced (spec section 4)
        }
        guard target <= n else { return .jumpOutOfBounds }
        guard frame < cellCount else { return .frameOutOfBounds }
        pc = target
        fp = frame
        return nil
    }
}
