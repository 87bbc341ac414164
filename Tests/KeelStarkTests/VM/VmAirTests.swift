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
        var random = SplitMix64(seed: seed)
        let challenges = (0..<2).map { _ in Fp4(Fp(random.next()), Fp(random.next()), Fp(random.next()), Fp(random.next())) }
        let aux = air.buildAuxTrace(main: trace.columns, challenges: challenges)
        return TraceConstraintChecker.failingConstraints(air, main: trace.columns, aux: aux, challenges: challenges)
    }

    func testExampleProgramsProveAndVerify() throws {
        for (name, input) in Self.examples {
            let (program, storage, inputs) = try example(name, input: input)
            let trace = try VmTrace.build(program: program, storage: storage, input: inputs, stepLimit: 1_000_000)
            XCTAssertEqual(trace.result.status, .halted, name)
            let air = VmAir(program: program, stepCount: trace.result.steps, finalPc: trace.result.pc)
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
                XCTAssertEqual(trace.result, reference, ProgramListing.text(of: program))
                let air = VmAir(program: program, stepCount: trace.result.steps, finalPc: trace.result.pc)
                XCTAssertEqual(failingConstraints(air, trace), [], ProgramListing.text(of: program))
                proven += 1
            } catch VmTrace.Unprovable.fault(let fault) {
                XCTAssertEqual(reference.status, .fault(fault), "only other faults are left to re-execution")
            }
        }
        XCTAssertGreaterThan(proven, 50, "most random runs halt or reach their limit")
    }

    func testProofOfAnotherStatementIsRejected() throws {
        let (program, storage, input) = try example("fibonacci", input: [10])
        let trace = try VmTrace.build(program: program, storage: storage, input: input, stepLimit: 1_000)
        let (steps, pc) = (trace.result.steps, trace.result.pc)
        let proof = try StarkProver.prove(VmAir(program: program, stepCount: steps, finalPc: pc), trace: trace.columns).encoded()
        var changed = program
        changed.instructions[2].o2 = 7
        for (name, air) in [("steps", VmAir(program: program, stepCount: steps + 1, finalPc: pc)),
                            ("pc", VmAir(program: program, stepCount: steps, finalPc: pc - 1)),
                            ("program", VmAir(program: changed, stepCount: steps, finalPc: pc))] {
            XCTAssertThrowsError(try StarkVerifier.verify(air, proof: proof), name)
        }
    }

    func testStepLimitRunProves() throws {
        let (program, storage, input) = try example("fibonacci", input: [1_000])
        let trace = try VmTrace.build(program: program, storage: storage, input: input, stepLimit: 100)
        XCTAssertEqual(trace.result.status, .fault(.stepLimit))
        let air = VmAir(program: program, stepCount: 100, finalPc: trace.result.pc)
        XCTAssertNoThrow(try StarkVerifier.verify(air, proof: StarkProver.prove(air, trace: trace.columns).encoded()))
    }

    func testOtherFaultsAreLeftToReexecution() throws {
        let program = try Assembler.assemble(".memory 4\n    add r20, 1, 1\n")
        XCTAssertThrowsError(try VmTrace.build(program: program, storage: [], input: [], stepLimit: 10)) { error in
            XCTAssertEqual(error as? VmTrace.Unprovable, .fault(.memoryOutOfBounds))
        }
    }
}
