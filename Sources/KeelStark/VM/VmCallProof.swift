import KeelCrypto
import KeelVM

/// The evidence for one VM call's result (spec/STARK.md §9.6): a STARK of the VM AIR, or, for a
/// run the AIR does not cover (a memory, jump or frame fault, or a trace beyond `2^21` rows), a
/// note that the verifier must re-execute the call.
public struct VmCallProof: Hashable, Sendable {
    public enum Evidence: Hashable, Sendable {
        /// `keel-stark-v1` proof bytes of the VM AIR for this statement.
        case stark([UInt8])
        /// No proof: the verifier re-executes the call.
        case reexecute(reason: String)
    }

    /// SHA-256 of the program's encoding (spec/VM.md §6), naming the program it is about.
    public let programHash: Hash32
    public let storage: [UInt32]
    public let input: [UInt32]
    public let stepLimit: UInt64
    /// The claimed result.
    public let result: ExecutionResult
    public let evidence: Evidence

    /// What a valid proof of this system establishes.
    public static let guarantee = """
        keel-stark-v1: the program with this hash, run on this storage and input with this step \
        limit, halts or stops at the limit with exactly this step count, pc, storage and output \
        (a univariate STARK over KoalaBear^4 with SHA-256 FRI; about 100 bits of conjectured, not \
        proven, security; not zero-knowledge: the proof reveals trace values). Runs ending in \
        another fault carry no proof and are re-executed.
        """

    /// Runs the call and proves its result, or marks it for re-execution.
    ///
    /// - Throws: `ExecutionInputError` for storage or input that does not fit the program.
    public static func prove(
        program: Program, storage: [UInt32], input: [UInt32], stepLimit: UInt64, parameters: StarkParameters = .standard
    ) throws -> VmCallProof {
        let result = try Interpreter(program).run(storage: storage, input: input, stepLimit: stepLimit)
        do {
            let trace = try VmTrace.build(VmStatement(program: program, storage: storage, input: input, stepLimit: stepLimit, result: result))
            let proof = try StarkProver.prove(trace.air, trace: trace.columns, parameters: parameters)
            return VmCallProof(programHash: program.hash, storage: storage, input: input, stepLimit: stepLimit,
                               result: result, evidence: .stark(proof.encoded()))
        } catch let unprovable as VmTrace.Unprovable {
            let reason = switch unprovable {
            case .fault(let fault): "the run ends in \(fault.rawValue)"
            case .tooLong(let steps): "\(steps) steps need more than 2^21 trace rows"
            }
            return VmCallProof(programHash: program.hash, storage: storage, input: input, stepLimit: stepLimit,
                               result: result, evidence: .reexecute(reason: reason))
        }
    }

    /// Checks this proof for `program`.
    ///
    /// - Returns: The result it establishes: proven by the STARK, or obtained by re-execution.
    /// - Throws: `StarkError.invalid` if the proof is about another program or does not verify,
    ///   or re-execution gives another result; `StarkError.malformed` for unusable proof bytes.
    public func verify(program: Program, parameters: StarkParameters = .standard) throws(StarkError) -> ExecutionResult {
        guard program.hash == programHash else { throw .invalid("the proof is about another program") }
        let statement = VmStatement(program: program, storage: storage, input: input, stepLimit: stepLimit, result: result)
        switch evidence {
        case .stark(let bytes):
            try StarkVerifier.verify(VmAir(statement), proof: bytes, parameters: parameters)
        case .reexecute:
            guard statement.requiresReexecution else {
                throw .invalid("a run the STARK covers must be proven, not marked for re-execution")
            }
            guard let actual = try? Interpreter(program).run(storage: storage, input: input, stepLimit: stepLimit) else {
                throw .invalid("storage or input does not fit the program")
            }
            guard actual == result else { throw .invalid("re-executing the call gives another result") }
        }
        return result
    }

    public init(programHash: Hash32, storage: [UInt32], input: [UInt32], stepLimit: UInt64, result: ExecutionResult, evidence: Evidence) {
        self.programHash = programHash
        self.storage = storage
        self.input = input
        self.stepLimit = stepLimit
        self.result = result
        self.evidence = evidence
    }
}
