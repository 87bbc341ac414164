import KeelRandom
import KeelTestSupport
import KeelVM
import XCTest
@testable import KeelStark

/// The stage-2 VM AIR (spec/STARK.md §9): honest traces of the example programs and of random
/// programs satisfy every constraint and prove; other statements do not verify.
final class VmAirTests: XCTestCase {
    static let examples: [(name: String, input: [UInt32])] = [
        ("fibonacci", [20]), ("call", []), ("inverse", []), ("prefix_sums", []), ("toy_hash", []),
    ]

    private func example(_ name: String, input: [UInt32]) throws -> (Program, [UInt32], [UInt32]) {
        let program = try Assembler.assemble(RepositoryPaths.programSource(name))
        let inputs = input.isEmpty ? [UInt32](repeating: 3, count: Int(program.inputCount)) : input
        return (program, [UInt32](repeating: 5, count: Int(program.storageCount)), inputs)
    }

    private func failingConstraints(_ air: VmAir, _ trace: VmTrace, seed: UInt64 = 1) -> Set<Int> {
        XCTAssertNil(air.statementProblem)
        var random = SplitMix64(seed: seed)
        let challenges = (0..<2).map { _ in Fp4(Fp(random.next()), Fp(random.next()), Fp(random.next()), Fp(random.next())) }
        let aux = air.buildAuxTrace(main: trace.columns, challenges: challenges)
        return TraceConstraintChecker.failingConstraints(air, main: trace.columns, aux: aux, challenges: challenges)
    }

    func testExampleProgramsProveAndVerify() throws {
        for (name, input) in Self.examples {
            let (program, storage, inputs) = try example(name, input: input)
            let trace = try VmTrace.build(program: program, storage: storage, input: inputs, stepLimit: 1_000_000)
            XCTAssertEqual(trace.statement.result.status, .halted, name)
            let air = trace.air
            let proof = try StarkProver.prove(air, trace: trace.columns)
            XCTAssertNoThrow(try StarkVerifier.verify(air, proof: proof.encoded()), name)
        }
    }

    func testRandomProgramTracesSatisfyEveryConstraint() throws {
        var random = SplitMix64(seed: 0x7ace)
        var proven = 0
        for _ in 0..<150 {
            let program = RandomProgram.make(using: &random)
            let (storage, input) = RandomProgram.makeStorageAndInput(for: program, using: &random)
            let limit = RandomProgram.makeStepLimit(using: &random)
            let reference = ReferenceInterpreter.run(program, storage: storage, input: input, stepLimit: limit)
            do {
                let trace = try VmTrace.build(program: program, storage: storage, input: input, stepLimit: limit)
                XCTAssertEqual(trace.statement.result, reference, ProgramListing.text(of: program))
                XCTAssertEqual(failingConstraints(trace.air, trace), [], ProgramListing.text(of: program))
                proven += 1
            } catch VmTrace.Unprovable.fault(let fault) {
                XCTAssertEqual(reference.status, .fault(fault), "only other faults are left to re-execution")
            }
        }
        XCTAssertGreaterThan(proven, 50, "most random runs halt or reach their limit")
    }

    /// Wrong output, storage', step count, pc or status, another program, input or limit: each
    /// is refused, by the statement rule or by the proof.
    func testProofOfAnotherStatementIsRejected() throws {
        let (program, storage, input) = try example("prefix_sums", input: [])
        let trace = try VmTrace.build(program: program, storage: storage, input: input, stepLimit: 10_000)
        let honest = trace.statement
        XCTAssertFalse(honest.result.output.isEmpty && honest.result.storage.isEmpty, "the example has results to forge")
        let proof = try StarkProver.prove(trace.air, trace: trace.columns).encoded()
        XCTAssertNoThrow(try StarkVerifier.verify(trace.air, proof: proof))
        func with(_ change: (inout ExecutionResult) -> Void) -> VmStatement {
            var result = honest.result
            change(&result)
            return VmStatement(program: program, storage: storage, input: input, stepLimit: honest.stepLimit, result: result)
        }
        var changed = program
        changed.instructions[1].o2 = changed.instructions[1].o2 &+ 1
        var forged: [(String, VmStatement)] = [
            ("steps", with { $0.steps += 1 }),
            ("pc", with { $0.pc -= 1 }),
            ("status", with { $0.status = .fault(.stepLimit) }),
            ("program", VmStatement(program: changed, storage: storage, input: input, stepLimit: honest.stepLimit, result: honest.result)),
            ("limit", VmStatement(program: program, storage: storage, input: input, stepLimit: honest.result.steps - 1, result: honest.result)),
        ]
        if !honest.result.output.isEmpty { forged.append(("output", with { $0.output[0] = ($0.output[0] + 1) % Fp.modulus })) }
        if !honest.result.storage.isEmpty { forged.append(("storage", with { $0.storage[0] = ($0.storage[0] + 1) % Fp.modulus })) }
        if !input.isEmpty {
            var otherInput = input
            otherInput[0] = (otherInput[0] + 1) % Fp.modulus
            forged.append(("input", VmStatement(program: program, storage: storage, input: otherInput, stepLimit: honest.stepLimit, result: honest.result)))
        }
        for (name, statement) in forged {
            XCTAssertThrowsError(try StarkVerifier.verify(VmAir(statement), proof: proof), name)
        }
    }

    func testStepLimitRunProves() throws {
        let (program, storage, input) = try example("fibonacci", input: [1_000])
        let trace = try VmTrace.build(program: program, storage: storage, input: input, stepLimit: 100)
        XCTAssertEqual(trace.statement.result.status, .fault(.stepLimit))
        let air = trace.air
        XCTAssertNoThrow(try StarkVerifier.verify(air, proof: StarkProver.prove(air, trace: trace.columns).encoded()))
    }

    func testOtherFaultsAreLeftToReexecution() throws {
        let program = try Assembler.assemble(".memory 4\n    add r20, 1, 1\n")
        XCTAssertThrowsError(try VmTrace.build(program: program, storage: [], input: [], stepLimit: 10)) { error in
            XCTAssertEqual(error as? VmTrace.Unprovable, .fault(.memoryOutOfBounds))
        }
    }

    /// Constraint 8 compares rows with `T mod p`: a proof of a 5-step run must not pass for a
    /// claim of `5 + k·p` steps (statements with `T ≥ 2^21` are refused outright).
    func testAStepCountCongruentModPIsRejected() throws {
        let program = try Assembler.assemble(".outputs 1\n    add r0, 1, 2\n")
        let trace = try VmTrace.build(program: program, storage: [], input: [], stepLimit: 10)
        let honest = trace.statement
        let proof = try StarkProver.prove(trace.air, trace: trace.columns).encoded()
        var result = honest.result
        result.steps += UInt64(Fp.modulus) * (1 << 33)
        let forged = VmStatement(program: program, storage: [], input: [], stepLimit: UInt64.max, result: result)
        XCTAssertNotNil(forged.problem)
        XCTAssertThrowsError(try StarkVerifier.verify(VmAir(forged), proof: proof)) { error in
            guard case .invalid(let reason) = error as? StarkError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("re-executed, not proven"), reason)
        }
    }

    /// Re-execution is accepted only for runs the AIR cannot cover; a provable run marked for
    /// re-execution is rejected, so a prover cannot push VM work onto verifiers.
    func testAProvableRunMarkedForReexecutionIsRejected() throws {
        let (program, storage, input) = try example("fibonacci", input: [10])
        let honest = try VmCallProof.prove(program: program, storage: storage, input: input, stepLimit: 1_000)
        let lazy = VmCallProof(programHash: honest.programHash, storage: storage, input: input, stepLimit: 1_000,
                               result: honest.result, evidence: .reexecute(reason: "lazy"))
        XCTAssertThrowsError(try lazy.verify(program: program)) { error in
            XCTAssertEqual(error as? StarkError, .invalid("a run the STARK covers must be proven, not marked for re-execution"))
        }
        XCTAssertEqual(try honest.verify(program: program), honest.result)
        XCTAssertEqual(try VmCallProof(decoding: honest.encoded()), honest)
    }
}
