import KeelTestSupport
import XCTest

@testable import KeelVM

final class InterpreterTests: XCTestCase {
    private let echo = Program(memoryLog2: 4, storageCount: 2, inputCount: 1, outputCount: 1, instructions: [
        Instruction(.add, .reg, 3, .reg, 2, .reg, 0),  // out = input + storage[0]
        Instruction(.add, .reg, 1, .reg, 1, .imm, 1),  // storage[1] += 1
    ])

    func testRejectsInputThatDoesNotFitTheHeader() {
        let interpreter = Interpreter(echo)
        XCTAssertThrowsError(try interpreter.run(storage: [1], input: [2], stepLimit: 10)) {
            XCTAssertEqual($0 as? ExecutionInputError, .storageCountMismatch(expected: 2, got: 1))
        }
        XCTAssertThrowsError(try interpreter.run(storage: [1, 2], input: [], stepLimit: 10)) {
            XCTAssertEqual($0 as? ExecutionInputError, .inputCountMismatch(expected: 1, got: 0))
        }
        XCTAssertThrowsError(try interpreter.run(storage: [1, 2], input: [KoalaBear.p], stepLimit: 10)) {
            XCTAssertEqual($0 as? ExecutionInputError, .valueNotInField(value: KoalaBear.p))
        }
    }

    func testStorageAndOutputLayout() throws {
        let result = try Interpreter(echo).run(storage: [5, 9], input: [7], stepLimit: 10)
        XCTAssertEqual(result, ExecutionResult(status: .halted, steps: 2, pc: 2, output: [12], storage: [5, 10]))
    }

    func testRunsAreIndependent() throws {
        // Memory must start zeroed on every run, not carry the previous run's cells.
        let interpreter = Interpreter(echo)
        let first = try interpreter.run(storage: [5, 9], input: [7], stepLimit: 10)
        let second = try interpreter.run(storage: [0, 0], input: [0], stepLimit: 10)
        XCTAssertEqual(first.output, [12])
        XCTAssertEqual(second.output, [0])
        XCTAssertEqual(second.storage, [0, 1])
    }

    func testStepLimitStopsAnInfiniteLoop() throws {
        let loop = Program(memoryLog2: 4, instructions: [Instruction(.jump, .imm, 1, .imm, 0, .fpo, 0)])
        let result = try Interpreter(loop).run(storage: [], input: [], stepLimit: 1_000)
        XCTAssertEqual(result.status, .fault(.stepLimit))
        XCTAssertEqual(result.steps, 1_000)
        XCTAssertEqual(result.pc, 0)
    }

    func testLargestMemoryIsUsable() throws {
        // 2^24 cells: the top cell is addressable, one past it faults.
        let top = (1 << 24) - 1
        let program = Program(memoryLog2: 24, outputCount: 1, instructions: [
            Instruction(.add, .reg, 1, .imm, UInt32(top), .imm, 0),
            Instruction(.deref, .reg, 1, .imm, 0, .imm, 42, isStore: true),
            Instruction(.deref, .reg, 0, .reg, 1, .imm, 0),
            Instruction(.deref, .reg, 1, .imm, 1, .imm, 42, isStore: true),
        ])
        let result = try Interpreter(program).run(storage: [], input: [], stepLimit: 10)
        XCTAssertEqual(result.status, .fault(.memoryOutOfBounds))
        XCTAssertEqual(result.pc, 3)
        XCTAssertEqual(result.output, [42])
    }
}
