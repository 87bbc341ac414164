import KeelTestSupport
import KeelVM
import VMWorkloads

/// Runs random valid programs (the generator of the differential tests, which reaches every
/// outcome of spec/VM.md section 5) through the Swift and the C interpreter and stops at the
/// first disagreement: a benchmark of two interpreters is only worth anything if they agree.
enum DifferentialCheck {
    static let masterSeed: UInt64 = 0x4B45_454C_4243_0001

    /// Returns nil when all `count` cases agree, else a report of the first mismatch.
    static func run(count: Int) -> String? {
        var seeds = SplitMix64(seed: masterSeed)
        for index in 0 ..< count {
            let seed = seeds.next()
            var rng = SplitMix64(seed: seed)
            let program = RandomProgram.make(using: &rng)
            let (storage, input) = RandomProgram.makeStorageAndInput(for: program, using: &rng)
            let stepLimit = RandomProgram.makeStepLimit(using: &rng)
            let swift: ExecutionResult
            let c: ExecutionResult
            do {
                swift = try Interpreter(program).run(storage: storage, input: input, stepLimit: stepLimit)
                c = try CInterpreter(program).run(storage: storage, input: input, stepLimit: stepLimit)
            } catch {
                return "case \(index) (seed \(seed)): \(error)"
            }
            if swift != c {
                return "case \(index) (seed \(seed)): Swift \(swift) but C \(c)"
            }
        }
        return nil
    }
}
