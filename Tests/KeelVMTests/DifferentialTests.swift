import KeelTestSupport
import KeelVM
import XCTest

/// Compares the fast `Interpreter` with `ReferenceInterpreter` (written straight from
/// spec/VM.md sections 2 to 5) on random programs and on hand-worked spec examples.
final class DifferentialTests: XCTestCase {
    /// The seed of the whole random run; each case gets its own seed drawn from it.
    static let masterSeed: UInt64 = 0x4B45_454C_564D_0001
    static let programCount = 100_000
    /// Every outcome (halted and each fault) must occur at least this often in the random run,
    /// so that a generator that stopped reaching some behaviour fails the test.
    static let outcomeCountMin = 2_000

    /// One random case, rebuilt entirely from its seed.
    struct DifferentialCase {
        var program: Program
        var storage: [UInt32]
        var input: [UInt32]
        var stepLimit: UInt64

        init(seed: UInt64) {
            var rng = SplitMix64(seed: seed)
            program = RandomProgram.make(using: &rng)
            (storage, input) = RandomProgram.makeStorageAndInput(for: program, using: &rng)
            stepLimit = RandomProgram.makeStepLimit(using: &rng)
        }
    }

    func testInterpreterMatchesReferenceOnRandomPrograms() {
        var seeds = SplitMix64(seed: Self.masterSeed)
        var counts: [ExecutionStatus: Int] = [:]
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0 ..< Self.programCount {
            let seed = seeds.next()
            let testCase = DifferentialCase(seed: seed)
            let expected = ReferenceInterpreter.run(
                testCase.program, storage: testCase.storage, input: testCase.input,
                stepLimit: testCase.stepLimit
            )
            let actual: ExecutionResult
            do {
                actual = try Interpreter(testCase.program).run(
                    storage: testCase.storage, input: testCase.input, stepLimit: testCase.stepLimit
                )
            } catch {
                XCTFail("\(Self.header(index: index, seed: seed)): Interpreter threw \(error)")
                return
            }
            if actual != expected {
                XCTFail(Self.mismatchReport(index: index, seed: seed, testCase, expected, actual))
                return
            }
            counts[expected.status, default: 0] += 1
        }
        let elapsed = clock.now - start
        let distribution = Self.outcomes.map { "\(Self.name($0))=\(counts[$0, default: 0])" }
        print("DifferentialTests: \(Self.programCount) programs in \(elapsed): "
            + distribution.joined(separator: " "))
        for outcome in Self.outcomes {
            XCTAssertGreaterThanOrEqual(
                counts[outcome, default: 0], Self.outcomeCountMin,
                "the generator reaches \(Self.name(outcome)) too rarely"
            )
        }
        XCTAssertEqual(counts.values.reduce(0, +), Self.programCount)
    }

    func testRandomCasesAreDeterministic() {
        for seed: UInt64 in [0, 1, 0xDEAD_BEEF, Self.masterSeed] {
            let first = DifferentialCase(seed: seed)
            let second = DifferentialCase(seed: seed)
            XCTAssertEqual(first.program, second.program)
            XCTAssertEqual(first.storage, second.storage)
            XCTAssertEqual(first.input, second.input)
            XCTAssertEqual(first.stepLimit, second.stepLimit)
        }
        var rng = SplitMix64(seed: 0)
        // The first output of SplitMix64 seeded with 0, from the reference implementation.
        XCTAssertEqual(rng.next(), 0xE220_A839_7B1D_CDAF)
    }

    // MARK: - Reporting

    static let outcomes: [ExecutionStatus] = [.halted] + Fault.allCases.map { .fault($0) }

    static func name(_ status: ExecutionStatus) -> String {
        switch status {
        case .halted: return "halted"
        case let .fault(fault): return fault.rawValue
        }
    }

    static func header(index: Int, seed: UInt64) -> String {
        "case \(index) (seed 0x\(String(seed, radix: 16)); rebuild with "
            + "DifferentialCase(seed: 0x\(String(seed, radix: 16))), master seed "
            + "0x\(String(masterSeed, radix: 16)))"
    }

    static func describe(_ result: ExecutionResult) -> String {
        "status=\(name(result.status)) steps=\(result.steps) pc=\(result.pc) "
            + "output=\(result.output) storage=\(result.storage)"
    }

    static func mismatchReport(
        index: Int, seed: UInt64, _ testCase: DifferentialCase,
        _ expected: ExecutionResult, _ actual: ExecutionResult
    ) -> String {
        """
        \(header(index: index, seed: seed)): Interpreter disagrees with ReferenceInterpreter
        storage=\(testCase.storage) input=\(testCase.input) stepLimit=\(testCase.stepLimit)
        \(ProgramListing.text(of: testCase.program))
        reference:   \(describe(expected))
        interpreter: \(describe(actual))
        """
    }
}

// MARK: - Hand-worked spec examples, run through both interpreters

extension DifferentialTests {
    static let p = KoalaBear.p

    /// Runs `program` through both interpreters and checks each against a result worked out by
    /// hand from spec/VM.md.
    func assertBoth(
        _ program: Program, storage: [UInt32] = [], input: [UInt32] = [], stepLimit: UInt64 = 1_000,
        _ expectedStatus: ExecutionStatus, steps: UInt64, pc: UInt32,
        output: [UInt32] = [], finalStorage: [UInt32]? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let expected = ExecutionResult(
            status: expectedStatus, steps: steps, pc: pc, output: output,
            storage: finalStorage ?? storage
        )
        let reference = ReferenceInterpreter.run(
            program, storage: storage, input: input, stepLimit: stepLimit
        )
        XCTAssertEqual(
            Self.describe(reference), Self.describe(expected), "ReferenceInterpreter", file: file, line: line
        )
        do {
            let fast = try Interpreter(program).run(storage: storage, input: input, stepLimit: stepLimit)
            XCTAssertEqual(Self.describe(fast), Self.describe(expected), "Interpreter", file: file, line: line)
        } catch {
            XCTFail("Interpreter threw \(error)", file: file, line: line)
        }
    }

    /// Section 3: an fpo value is `(fp + k) mod p`.
    func testFpoValueWrapsModP() {
        let program = Program(memoryLog2: 4, outputCount: 2, instructions: [
            Instruction(.jump, .imm, 1, .imm, 1, .fpo, 3),                  // fp <- 3
            Instruction(.add, .reg, 0, .fpo, Self.p - 1, .imm, 0),          // m[3] <- (3 + p-1) mod p = 2
            Instruction(.add, .reg, 1, .fpo, Self.p - 2, .fpo, 5),          // m[4] <- 1 + 8 = 9
            Instruction(.jump, .imm, 1, .imm, 4, .reg, 2),                  // fp <- m[5] = 0
            Instruction(.add, .reg, 0, .reg, 3, .imm, 0),                   // m[0] <- m[3]
            Instruction(.add, .reg, 1, .reg, 4, .imm, 0),                   // m[1] <- m[4]
        ])
        assertBoth(program, .halted, steps: 6, pc: 6, output: [2, 9])
    }

    /// Section 1: add and mul are mod p; 2^32 mod p = 2^25 - 2.
    func testArithmeticIsModP() {
        let program = Program(memoryLog2: 4, outputCount: 3, instructions: [
            Instruction(.add, .reg, 0, .imm, Self.p - 1, .imm, 5),
            Instruction(.mul, .reg, 1, .imm, Self.p - 1, .imm, Self.p - 1),
            Instruction(.mul, .reg, 2, .imm, 65_536, .imm, 65_536),
        ])
        assertBoth(program, .halted, steps: 3, pc: 3, output: [4, 1, 33_554_430])
    }

    /// Section 4: DEREF's address `m[fp+b] + k` is an integer; `(p-1) + 2` is not reduced to 1.
    func testDerefAddressIsNotReduced() {
        let load = Program(memoryLog2: 4, storageCount: 1, instructions: [
            Instruction(.deref, .reg, 1, .reg, 0, .imm, 2),
        ])
        assertBoth(load, storage: [Self.p - 1], .fault(.memoryOutOfBounds), steps: 0, pc: 0)
        let store = Program(memoryLog2: 4, storageCount: 1, instructions: [
            Instruction(.deref, .reg, 0, .imm, 2, .imm, 7, isStore: true),
        ])
        assertBoth(store, storage: [Self.p - 1], .fault(.memoryOutOfBounds), steps: 0, pc: 0)
    }

    /// Section 4: a store then a load through the same computed address.
    func testDerefStoreThenLoad() {
        let program = Program(memoryLog2: 4, storageCount: 1, inputCount: 1, outputCount: 1, instructions: [
            Instruction(.deref, .reg, 0, .imm, 3, .reg, 1, isStore: true),  // m[5+3] <- m[1] = 77
            Instruction(.deref, .reg, 2, .reg, 0, .imm, 3),                 // m[2] <- m[8]
        ])
        assertBoth(program, storage: [5], input: [77], .halted, steps: 2, pc: 2, output: [77])
        // The last cell is in bounds; one past it is not.
        let edge = Program(memoryLog2: 4, storageCount: 1, outputCount: 1, instructions: [
            Instruction(.deref, .reg, 0, .imm, 10, .imm, 42, isStore: true), // m[5+10] <- 42
            Instruction(.deref, .reg, 1, .reg, 0, .imm, 10),                 // m[1] <- m[15]
            Instruction(.deref, .reg, 1, .reg, 0, .imm, 11),                 // m[16]: fault
        ])
        assertBoth(edge, storage: [5], .fault(.memoryOutOfBounds), steps: 2, pc: 2, output: [42])
    }

    /// Section 4: a JUMP reads T and F only when C != 0.
    func testJumpNotTakenReadsNeitherTargetNorFrame() {
        let notTaken = Program(memoryLog2: 4, instructions: [
            Instruction(.jump, .reg, 0, .reg, 100, .reg, 200),
        ])
        assertBoth(notTaken, .halted, steps: 1, pc: 1)
        let taken = Program(memoryLog2: 4, instructions: [
            Instruction(.jump, .imm, 1, .reg, 100, .fpo, 0),
        ])
        assertBoth(taken, .fault(.memoryOutOfBounds), steps: 0, pc: 0)
        let conditionOutOfBounds = Program(memoryLog2: 4, instructions: [
            Instruction(.jump, .reg, 16, .imm, 0, .fpo, 0),
        ])
        assertBoth(conditionOutOfBounds, .fault(.memoryOutOfBounds), steps: 0, pc: 0)
    }

    /// Section 4: memory_out_of_bounds, then jump_out_of_bounds, then frame_out_of_bounds.
    func testJumpFaultOrder() {
        // T = m[0] = 9 > n, and the frame operand's cell 99 is out of bounds: memory wins.
        let memoryFirst = Program(memoryLog2: 4, storageCount: 1, instructions: [
            Instruction(.jump, .imm, 1, .reg, 0, .reg, 99),
        ])
        assertBoth(memoryFirst, storage: [9], .fault(.memoryOutOfBounds), steps: 0, pc: 0)
        // T = 9 > n and F = 16 >= M: the target is checked first.
        let jumpBeforeFrame = Program(memoryLog2: 4, storageCount: 1, instructions: [
            Instruction(.jump, .imm, 1, .reg, 0, .fpo, 16),
        ])
        assertBoth(jumpBeforeFrame, storage: [9], .fault(.jumpOutOfBounds), steps: 0, pc: 0)
        // T = n is a valid target (a halt); F = 16 >= M.
        let frameOnly = Program(memoryLog2: 4, instructions: [
            Instruction(.jump, .imm, 1, .imm, 1, .fpo, 16),
        ])
        assertBoth(frameOnly, .fault(.frameOutOfBounds), steps: 0, pc: 0)
        // A register frame whose value is >= M.
        let registerFrame = Program(memoryLog2: 4, storageCount: 1, instructions: [
            Instruction(.jump, .imm, 1, .imm, 1, .reg, 0),
        ])
        assertBoth(registerFrame, storage: [16], .fault(.frameOutOfBounds), steps: 0, pc: 0)
    }

    /// Section 4: JUMP's fpo frame is `fp + k` as an integer: with fp = 1, `fp+(p-1)` is p, not 0.
    func testJumpFrameIsNotReduced() {
        let program = Program(memoryLog2: 4, instructions: [
            Instruction(.jump, .imm, 1, .imm, 1, .fpo, 1),
            Instruction(.jump, .imm, 1, .imm, 2, .fpo, Self.p - 1),
        ])
        assertBoth(program, .fault(.frameOutOfBounds), steps: 1, pc: 1)
    }

    /// Sections 2 and 5: the halting check comes before the step-limit check.
    func testHaltingAtExactlyTheStepLimit() {
        let program = Program(memoryLog2: 4, outputCount: 2, instructions: [
            Instruction(.add, .reg, 0, .imm, 1, .imm, 2),
            Instruction(.add, .reg, 1, .reg, 0, .reg, 0),
        ])
        assertBoth(program, stepLimit: 2, .halted, steps: 2, pc: 2, output: [3, 6])
        assertBoth(program, stepLimit: 1, .fault(.stepLimit), steps: 1, pc: 1, output: [3, 0])
        assertBoth(program, stepLimit: 0, .fault(.stepLimit), steps: 0, pc: 0, output: [0, 0])
        assertBoth(Program(memoryLog2: 4, instructions: []), stepLimit: 0, .halted, steps: 0, pc: 0)
    }

    /// Section 5: an endless loop stops at the limit with pc at the next instruction to run.
    func testEndlessLoopHitsStepLimit() {
        let program = Program(memoryLog2: 4, instructions: [
            Instruction(.jump, .imm, 1, .imm, 0, .fpo, 0),
        ])
        assertBoth(program, stepLimit: 10, .fault(.stepLimit), steps: 10, pc: 0)
    }

    /// Section 4: a faulting instruction writes nothing and is not counted.
    func testFaultingInstructionWritesNothingAndIsNotCounted() {
        let load = Program(memoryLog2: 4, storageCount: 1, outputCount: 1, instructions: [
            Instruction(.add, .reg, 1, .imm, 5, .imm, 0),                   // m[1] <- 5
            Instruction(.deref, .reg, 0, .reg, 0, .imm, 20),                // m[3 + 20]: fault
        ])
        assertBoth(load, storage: [3], .fault(.memoryOutOfBounds), steps: 1, pc: 1, output: [5])
        let add = Program(memoryLog2: 4, storageCount: 1, outputCount: 1, instructions: [
            Instruction(.add, .reg, 1, .imm, 5, .imm, 0),
            Instruction(.add, .reg, 0, .reg, 1, .reg, 16),                  // reads m[16]: fault
        ])
        assertBoth(add, storage: [3], .fault(.memoryOutOfBounds), steps: 1, pc: 1, output: [5])
        let destination = Program(memoryLog2: 4, storageCount: 1, instructions: [
            Instruction(.jump, .imm, 1, .imm, 1, .fpo, 10),                 // fp <- 10
            Instruction(.add, .reg, 6, .imm, 7, .imm, 0),                   // cell 16: fault
        ])
        assertBoth(destination, storage: [3], .fault(.memoryOutOfBounds), steps: 1, pc: 1)
    }

    /// Section 4: a call moves fp up and keeps the return address and caller's fp in the callee's
    /// r0 and r1; `jump 1, r0, r1` returns.
    func testCallAndReturnMoveTheFrame() {
        let program = Program(memoryLog2: 5, outputCount: 1, instructions: [
            Instruction(.add, .reg, 10, .imm, 3, .imm, 0),                  // callee r0 <- 3
            Instruction(.add, .reg, 11, .fpo, 0, .imm, 0),                  // callee r1 <- fp = 0
            Instruction(.jump, .imm, 1, .imm, 5, .fpo, 10),                 // call 5 with fp = 10
            Instruction(.add, .reg, 0, .reg, 12, .imm, 0),                  // m[0] <- callee's r2
            Instruction.halt(instructionCount: 7),
            Instruction(.mul, .reg, 2, .fpo, 0, .fpo, 0),                   // m[12] <- 10 · 10
            Instruction(.jump, .imm, 1, .reg, 0, .reg, 1),                  // return
        ])
        assertBoth(program, .halted, steps: 7, pc: 7, output: [100])
    }

    /// Section 3: a stored fpo value is reduced too: with fp = 2, `fp+(p-1)` stores 1, not p + 1.
    func testStoredFpoValueIsReduced() {
        let program = Program(memoryLog2: 4, storageCount: 1, instructions: [
            Instruction(.jump, .imm, 1, .imm, 1, .fpo, 2),                  // fp <- 2
            Instruction(.deref, .reg, 5, .imm, 0, .fpo, Self.p - 1, isStore: true), // m[m[7]] <- 1
        ])
        assertBoth(program, storage: [9], .halted, steps: 2, pc: 2, finalStorage: [1])
    }

    /// Section 4: a JUMP to exactly n (here through a register) halts; n + 1 faults.
    func testJumpTargetBoundIsN() {
        let program = Program(memoryLog2: 4, storageCount: 1, instructions: [
            Instruction(.jump, .imm, 1, .reg, 0, .fpo, 0),
            Instruction(.add, .reg, 0, .imm, 0, .imm, 0),
        ])
        assertBoth(program, storage: [2], .halted, steps: 1, pc: 2)
        assertBoth(program, storage: [3], .fault(.jumpOutOfBounds), steps: 0, pc: 0)
    }

    /// Section 5: any limit is allowed, including ones that do not fit in `Int`.
    func testHugeStepLimits() {
        let program = Program(memoryLog2: 4, outputCount: 1, instructions: [
            Instruction(.add, .reg, 0, .imm, 41, .imm, 1),
        ])
        for limit: UInt64 in [UInt64(Int64.max), UInt64(Int64.max) + 1, .max] {
            assertBoth(program, stepLimit: limit, .halted, steps: 1, pc: 1, output: [42])
        }
    }

    /// Section 3: with the largest memory (L = 24) the last cell is usable and the next faults.
    func testLargestMemoryBound() {
        let last: UInt32 = (1 << 24) - 1
        let program = Program(memoryLog2: 24, outputCount: 1, instructions: [
            Instruction(.add, .reg, last, .imm, 7, .imm, 0),                // m[2^24 - 1] <- 7
            Instruction(.deref, .reg, 0, .reg, 0, .imm, last),              // m[0] <- m[0 + 2^24 - 1]
            Instruction(.add, .reg, last + 1, .imm, 7, .imm, 0),            // cell 2^24: fault
        ])
        assertBoth(program, .fault(.memoryOutOfBounds), steps: 2, pc: 2, output: [7])
    }
}
