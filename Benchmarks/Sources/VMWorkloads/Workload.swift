import Foundation
import KeelTestSupport
import KeelVM

/// One benchmark workload: an example program of `Genesis/programs` with inputs chosen so that
/// a run executes about a requested number of VM instructions.
///
/// Each example program runs a loop whose trip count is one of its inputs, so its step count is
/// `fixed + perTrip · trips`. `make` measures `fixed` and `perTrip` with two short runs and solves
/// for `trips`, so the sizes follow the programs if they are edited.
public struct Workload: Sendable {
    /// The program's file name without `.kasm`.
    public var name: String
    public var program: Program
    public var storage: [UInt32]
    public var input: [UInt32]
    /// The result every interpreter must give (computed by the Swift `Interpreter`).
    public var expected: ExecutionResult

    /// The step limit of every benchmark run: the largest `keel vm run` allows.
    public static let stepLimit = Interpreter.stepLimitDefault

    /// The workloads of the VM benchmarks: `fibonacci` (ADD and JUMP), `prefix_sums` (DEREF
    /// loads and stores through pointers) and `toy_hash` (MUL-heavy).
    public static let names = ["fibonacci", "prefix_sums", "toy_hash"]

    /// Builds the workload `name` sized to about `instructionCount` VM instructions.
    ///
    /// - Parameters:
    ///   - name: one of `names`.
    ///   - programsDirectory: the directory holding `NAME.kasm`.
    ///   - instructionCount: the wanted number of executed instructions.
    /// - Throws: when the program cannot be read or assembled.
    public static func make(
        _ name: String, programsDirectory: String, instructionCount: UInt64
    ) throws -> Workload {
        precondition(instructionCount > 1000 && instructionCount < stepLimit, "a sensible size")
        let source = try String(contentsOfFile: programsDirectory + "/\(name).kasm", encoding: .utf8)
        let program = try Assembler.assemble(source)
        let interpreter = Interpreter(program)
        let inputs = try makeInputs(name)
        let steps1 = try interpreter.run(storage: [], input: inputs(1), stepLimit: stepLimit).steps
        let steps2 = try interpreter.run(storage: [], input: inputs(2), stepLimit: stepLimit).steps
        precondition(steps2 > steps1 && steps1 >= steps2 - steps1, "steps grow with the trip count")
        let perTrip = steps2 - steps1
        let fixed = steps1 - perTrip
        let trips = max(1, (instructionCount - fixed + perTrip / 2) / perTrip)
        let input = inputs(UInt32(trips))
        let expected = try interpreter.run(storage: [], input: input, stepLimit: stepLimit)
        precondition(expected.status == .halted, "\(name) halts")
        precondition(expected.steps == fixed + perTrip * trips, "steps are linear in the trip count")
        return Workload(name: name, program: program, storage: [], input: input, expected: expected)
    }

    /// The input vector of `name` as a function of its trip count. Data values come from a
    /// fixed-seed `SplitMix64`, so every run and machine uses the same inputs.
    private static func makeInputs(_ name: String) throws -> (UInt32) -> [UInt32] {
        var rng = SplitMix64(seed: 0x4B45_454C_4245_4E43)
        let field = { (rng: inout SplitMix64) in UInt32(rng.next() % UInt64(KoalaBear.p)) }
        switch name {
        case "fibonacci":
            return { n in [n] }
        case "prefix_sums":
            let values = (0 ..< 32).map { _ in field(&rng) }
            return { rounds in [rounds] + values }
        case "toy_hash":
            let state = (0 ..< 4).map { _ in field(&rng) }
            return { rounds in state + [rounds] }
        default:
            throw WorkloadError(message: "unknown workload \(name); known: \(names)")
        }
    }
}

/// A workload that cannot be built.
public struct WorkloadError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}
