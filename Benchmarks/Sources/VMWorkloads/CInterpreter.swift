import CKeelVM
import KeelVM

/// The C interpreter of `CKeelVM`, behind the same shape of API as the Swift `Interpreter`, so
/// a benchmark can run both on the same program and compare their `ExecutionResult`s.
///
/// It decodes the program's canonical `.kvm` encoding itself (spec/VM.md section 6), so the two
/// interpreters share nothing but the bytes.
///
/// - Important: immutable after `init`; `run` may be called from any thread.
public final class CInterpreter: @unchecked Sendable {
    /// Why the C decoder rejected a program.
    public struct DecodeError: Error, CustomStringConvertible {
        public var code: ckvm_decode_error
        public var index: UInt32
        public var description: String { "CKeelVM rejected the program: error \(code.rawValue) at instruction \(index)" }
    }

    private let handle: OpaquePointer
    /// The decoded header.
    public let header: ckvm_header

    /// Decodes and lowers `program`'s `.kvm` encoding.
    ///
    /// - Throws: `DecodeError` when the C decoder rejects the bytes (a bug: `program` is valid).
    public init(_ program: Program) throws(DecodeError) {
        let bytes = program.encoded()
        var handle: OpaquePointer? = nil
        var index: UInt32 = 0
        let code = bytes.withUnsafeBufferPointer { ckvm_program_decode($0.baseAddress, $0.count, &handle, &index) }
        guard code == CKVM_DECODE_OK, let handle else { throw DecodeError(code: code, index: index) }
        self.handle = handle
        self.header = ckvm_program_header(handle)
        precondition(header.instruction_count == program.instructionCount, "decoded n matches")
        precondition(header.memory_log2 == UInt32(program.memoryLog2), "decoded L matches")
    }

    deinit { ckvm_program_free(handle) }

    /// Runs the program once from the initial state; mirrors `Interpreter.run`.
    ///
    /// - Parameters:
    ///   - storage: exactly `S` field values.
    ///   - input: exactly `I` field values.
    ///   - stepLimit: the step limit of spec/VM.md section 5.
    /// - Returns: the outcome, in the Swift interpreter's terms.
    public func run(storage: [UInt32], input: [UInt32], stepLimit: UInt64) -> ExecutionResult {
        precondition(storage.count == Int(header.storage_count), "storage must hold S values")
        precondition(input.count == Int(header.input_count), "input must hold I values")
        var storageOut = [UInt32](repeating: 0, count: Int(header.storage_count))
        var output = [UInt32](repeating: 0, count: Int(header.output_count))
        var result = ckvm_result()
        let code = storage.withUnsafeBufferPointer { s in
            input.withUnsafeBufferPointer { i in
                storageOut.withUnsafeMutableBufferPointer { so in
                    output.withUnsafeMutableBufferPointer { o in
                        ckvm_run(handle, s.baseAddress, i.baseAddress, stepLimit, so.baseAddress, o.baseAddress, &result)
                    }
                }
            }
        }
        precondition(code == 0, "ckvm_run failed: a value not in the field, or no memory")
        return ExecutionResult(
            status: Self.status(result.status), steps: result.steps, pc: result.pc,
            output: output, storage: storageOut)
    }

    private static func status(_ status: ckvm_status) -> ExecutionStatus {
        switch status {
        case CKVM_HALTED: return .halted
        case CKVM_MEMORY_OUT_OF_BOUNDS: return .fault(.memoryOutOfBounds)
        case CKVM_JUMP_OUT_OF_BOUNDS: return .fault(.jumpOutOfBounds)
        case CKVM_FRAME_OUT_OF_BOUNDS: return .fault(.frameOutOfBounds)
        case CKVM_STEP_LIMIT: return .fault(.stepLimit)
        default: preconditionFailure("unknown ckvm_status \(status.rawValue)")
        }
    }

    /// The C compiler that built `CKeelVM`.
    public static var compilerVersion: String { String(cString: ckvm_compiler_version()) }
}
