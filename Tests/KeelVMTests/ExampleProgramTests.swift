import KeelTestSupport
import XCTest

@testable import KeelVM

/// Each program of `Genesis/programs` against the same computation written in Swift, run by both
/// the fast and the reference interpreter.
final class ExampleProgramTests: XCTestCase {
    private func run(_ name: String, input: [UInt32], file: StaticString = #filePath, line: UInt = #line) throws -> [UInt32] {
        let program = try Assembler.assemble(try RepositoryPaths.programSource(name))
        let fast = try Interpreter(program).run(storage: [], input: input, stepLimit: 10_000_000)
        let reference = ReferenceInterpreter.run(program, storage: [], input: input, stepLimit: 10_000_000)
        XCTAssertEqual(fast, reference, "\(name) \(input)", file: file, line: line)
        XCTAssertEqual(fast.status, .halted, "\(name) \(input)", file: file, line: line)
        return fast.output
    }

    func testFibonacci() throws {
        for n: UInt32 in [0, 1, 2, 3, 10, 90, 1_000] {
            var (a, b): (UInt32, UInt32) = (0, 1)
            for _ in 0..<n { (a, b) = (b, KoalaBear.add(a, b)) }
            XCTAssertEqual(try run("fibonacci", input: [n]), [a], "F(\(n))")
        }
        XCTAssertEqual(try run("fibonacci", input: [10]), [55])
    }

    func testCallAndReturn() throws {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<20 {
            let x = UInt32.random(in: 0..<KoalaBear.p, using: &rng)
            let y = UInt32.random(in: 0..<KoalaBear.p, using: &rng)
            XCTAssertEqual(try run("call", input: [x, y]), [KoalaBear.add(KoalaBear.mul(x, x), KoalaBear.mul(y, y))])
        }
    }

    func testInverse() throws {
        XCTAssertEqual(try run("inverse", input: [0]), [0])
        XCTAssertEqual(try run("inverse", input: [1]), [1])
        var rng = SplitMix64(seed: 4)
        for _ in 0..<20 {
            let x = UInt32.random(in: 1..<KoalaBear.p, using: &rng)
            let inverse = try run("inverse", input: [x])
            XCTAssertEqual(inverse.count, 1)
            XCTAssertEqual(KoalaBear.mul(x, inverse[0]), 1, "1/\(x)")
        }
    }

    func testPrefixSums() throws {
        var rng = SplitMix64(seed: 5)
        for rounds: UInt32 in [0, 1, 2, 5] {
            let array = (0..<32).map { _ in UInt32.random(in: 0..<KoalaBear.p, using: &rng) }
            var expected = array
            for _ in 0..<rounds {
                for j in 1..<expected.count { expected[j] = KoalaBear.add(expected[j], expected[j - 1]) }
            }
            XCTAssertEqual(try run("prefix_sums", input: [rounds] + array), expected, "rounds \(rounds)")
        }
    }

    /// The toy permutation of toy_hash.kasm, written out in Swift.
    private func toyHash(_ state: [UInt32], rounds: UInt32) -> [UInt32] {
        var s = state
        var c: UInt32 = 1
        for _ in 0..<rounds {
            for i in 0..<4 { s[i] = KoalaBear.add(s[i], KoalaBear.add(c, UInt32(i))) }
            for i in 0..<4 { s[i] = KoalaBear.mul(KoalaBear.mul(s[i], s[i]), s[i]) }
            let total = s.reduce(0, KoalaBear.add)
            for i in 0..<4 { s[i] = KoalaBear.add(s[i], total) }
            c = KoalaBear.add(KoalaBear.mul(c, 5), 7)
        }
        return s
    }

    func testToyHash() throws {
        var rng = SplitMix64(seed: 6)
        var outputs = Set<[UInt32]>()
        for rounds: UInt32 in [0, 1, 8, 8, 8, 8, 30] {
            let state = (0..<4).map { _ in UInt32.random(in: 0..<KoalaBear.p, using: &rng) }
            let output = try run("toy_hash", input: state + [rounds])
            XCTAssertEqual(output, toyHash(state, rounds: rounds))
            if rounds == 8 { outputs.insert(output) }
        }
        XCTAssertEqual(outputs.count, 4, "distinct states must hash to distinct outputs")
    }
}
