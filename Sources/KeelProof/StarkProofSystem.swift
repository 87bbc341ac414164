import KeelChain
import KeelCrypto
import KeelStark
import KeelVM

/// `keel-stark-v1` for blocks (spec/STARK.md §9.7): a proof is the block's state witness and one
/// ``VmCallProof`` per call, in the block's order. The verifier runs the block's transition on
/// the witness natively (signatures, nonces, fees, epochs, the state root) and takes each call's
/// result from its STARK instead of running the VM.
///
/// - Important: What is proven is the VM work only. Everything else is re-checked natively from
///   the witness, so verifying costs a stateless re-execution without its VM steps plus one STARK
///   check per call.
public struct StarkProofSystem: ProofSystem {
    public static let systemID = "keel-stark-v1"
    public static let version: UInt8 = 1

    public var systemID: String { Self.systemID }
    public var guarantee: String {
        "keel-stark-v1: the block's transition re-checked from its witness, each VM call's result by a STARK "
            + "(~100 bits conjectured security, not zero-knowledge; faulting calls re-executed)"
    }

    /// The preset the witness opens with.
    public let preset: Preset
    public let parameters: StarkParameters

    public init(preset: Preset, parameters: StarkParameters = .standard) {
        self.preset = preset
        self.parameters = parameters
    }

    public func prove(_ claim: TransitionClaim, block: SignedBlock, witness: StateWitness) throws(ProofError) -> TransitionProof {
        precondition(block.message.hashTreeRoot == claim.blockRoot, "the claim is about this block")
        var state: ChainState
        do { state = try witness.open(root: claim.preStateRoot, preset: preset) } catch {
            throw .cannotProve("the witness does not open: \(error)")
        }
        let prover = ProvingCallExecutor(parameters: parameters)
        state.attachVMExecutor(prover)
        do { try state.stateTransition(block, strategy: .skip) } catch {
            throw .cannotProve("the block does not apply to its witness: \(error)")
        }
        var writer = ByteWriter()
        writer.write(Self.version)
        writer.writeLengthPrefixed(witness.encoded)
        let proofs = prover.proofs
        writer.write(UInt32(proofs.count))
        for proof in proofs { writer.writeLengthPrefixed(proof.encoded()) }
        return TransitionProof(system: Self.systemID, bytes: writer.finish())
    }

    /// A STARK proof is checked against its block; without it there is nothing to run.
    public func verify(_ proof: TransitionProof, of claim: TransitionClaim) throws(ProofError) {
        throw .invalid("a keel-stark-v1 proof is checked against its block (verify(_:of:block:))")
    }

    public func verify(_ proof: TransitionProof, of claim: TransitionClaim, block: SignedBlock) throws(ProofError) {
        guard proof.system == Self.systemID else { throw .wrongSystem(expected: Self.systemID, got: proof.system) }
        guard block.message.hashTreeRoot == claim.blockRoot else { throw .invalid("the claim is about another block") }
        let (witness, calls) = try decode(proof.bytes)
        let executor = ProvenCallExecutor(proofs: calls, parameters: parameters)
        let outcome: StatelessReexecution.Outcome
        do {
            outcome = try StatelessReexecution.verify(block, preStateRoot: claim.preStateRoot, witness: witness, preset: preset, executor: executor)
        } catch {
            throw .invalid(executor.failure ?? "\(error)")
        }
        if let failure = executor.failure { throw .invalid(failure) }
        guard executor.usedAll else { throw .invalid("the proof carries more call proofs than the block makes calls") }
        guard outcome.claim == claim else { throw .invalid("the block's transition proves another claim than this one") }
    }

    private func decode(_ bytes: [UInt8]) throws(ProofError) -> (StateWitness, [VmCallProof]) {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readUInt8("version") == Self.version else { throw ProofError.malformed("unknown keel-stark-v1 block proof version") }
            let witness = try StateWitness(decoding: try reader.readLengthPrefixedBytes("witness", limit: TransitionProof.proofByteCountMax))
            let count = try reader.readUInt32("call count")
            guard count <= 4_096 else { throw ProofError.malformed("\(count) call proofs") }
            var calls: [VmCallProof] = []
            for _ in 0..<count {
                calls.append(try VmCallProof(decoding: try reader.readLengthPrefixedBytes("call proof", limit: TransitionProof.proofByteCountMax)))
            }
            try reader.expectEnd(of: "keel-stark-v1 block proof")
            return (witness, calls)
        } catch let error as ProofError {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
    }
}

/// Proves each call as the transition makes it.
final class ProvingCallExecutor: VMExecutor, @unchecked Sendable {
    private let parameters: StarkParameters
    private(set) var proofs: [VmCallProof] = []

    init(parameters: StarkParameters) {
        self.parameters = parameters
    }

    func execute(_ program: Program, storage: [UInt32], input: [UInt32], stepLimit: UInt64) -> ExecutionResult {
        let proof: VmCallProof
        do {
            proof = try VmCallProof.prove(program: program, storage: storage, input: input, stepLimit: stepLimit, parameters: parameters)
        } catch {
            // The chain checked the call's arguments, and the tracer follows the interpreter, so
            // this is a bug; the proof then fails verification rather than the node stopping.
            let result = (try? Interpreter(program).run(storage: storage, input: input, stepLimit: stepLimit))
                ?? ExecutionResult(status: .halted, steps: 0, pc: 0, output: [], storage: storage)
            proof = VmCallProof(programHash: program.hash, storage: storage, input: input, stepLimit: stepLimit,
                                result: result, evidence: .reexecute(reason: "proving failed: \(error)"))
        }
        proofs.append(proof)
        return proof.result
    }
}

/// Answers each call, in order, with the result its proof establishes, and records the first
/// proof that is missing, about another call, or invalid (then the interpreter answers, so the
/// transition runs to its end and the verifier reports the failure).
final class ProvenCallExecutor: VMExecutor, @unchecked Sendable {
    private let proofs: [VmCallProof]
    private let parameters: StarkParameters
    private var next = 0
    private(set) var failure: String?

    init(proofs: [VmCallProof], parameters: StarkParameters) {
        self.proofs = proofs
        self.parameters = parameters
    }

    var usedAll: Bool { next == proofs.count }

    func execute(_ program: Program, storage: [UInt32], input: [UInt32], stepLimit: UInt64) -> ExecutionResult {
        defer { next += 1 }
        if failure == nil { failure = check(program, storage: storage, input: input, stepLimit: stepLimit) }
        if failure == nil { return proofs[next].result }
        do { return try Interpreter(program).run(storage: storage, input: input, stepLimit: stepLimit) } catch {
            preconditionFailure("the chain checked the call's arguments: \(error)")
        }
    }

    private func check(_ program: Program, storage: [UInt32], input: [UInt32], stepLimit: UInt64) -> String? {
        guard next < proofs.count else { return "call \(next) of the block has no proof" }
        let proof = proofs[next]
        guard proof.storage == storage, proof.input == input, proof.stepLimit == stepLimit else {
            return "call proof \(next) is about other storage, input or step limit than the call"
        }
        do { _ = try proof.verify(program: program, parameters: parameters) } catch {
            return "call proof \(next): \(error)"
        }
        return nil
    }
}
