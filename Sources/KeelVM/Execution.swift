/// The faults of spec/VM.md section 5, spelled as the spec spells them.
public enum Fault: String, Sendable, CaseIterable, Hashable {
    case memoryOutOfBounds = "memory_out_of_bounds"
    case jumpOutOfBounds = "jump_out_of_bounds"
    case frameOutOfBounds = "frame_out_of_bounds"
    case stepLimit = "step_limit"
}

/// How a run ended: the program halted (`pc == n`), or the first fault stopped it.
public enum ExecutionStatus: Sendable, Hashable {
    case halted
    case fault(Fault)
}

/// Everything a run produces. For a fault, `pc` is the faulting instruction and `output` and
/// `storage` are what memory held at that moment (callers revert storage on a fault).
public struct ExecutionResult: Sendable, Hashable {
    public var status: ExecutionStatus
    /// Instructions executed; a faulting instruction does not count.
    public var steps: UInt64
    public var pc: UInt32
    /// `m[S+I ..< S+I+O)` at the end of the run.
    public var output: [UInt32]
    /// `m[0 ..< S)` at the end of the run.
    public var storage: [UInt32]

    public init(status: ExecutionStatus, steps: UInt64, pc: UInt32, output: [UInt32], storage: [UInt32]) {
        self.status = status
        self.steps = steps
        self.pc = pc
        self.output = output
        self.storage = storage
    }
}

/// Input that does not fit the program it is meant for: a caller's error, not a VM fault.
public enum ExecutionInputError: Error, Hashable, Sendable, CustomStringConvertible {
    case storageCountMismatch(expected: UInt32, got: Int)
    case inputCountMismatch(expected: UInt32, got: Int)
    case valueNotInField(value: UInt32)

    public var description: String {
        switch self {
        case let .storageCountMismatch(expected, got):
            return "the program has \(expected) storage cells but \(got) storage values were given"
        case let .inputCountMismatch(expected, got):
            return "the program has \(expected) input cells but \(got) input values were given"
        case let .valueNotInField(value):
            return "value \(value) is not in the field [0, \(KoalaBear.p))"
        }
    }
}
