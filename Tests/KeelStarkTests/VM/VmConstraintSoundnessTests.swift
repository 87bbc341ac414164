import KeelRandom
import KeelTestSupport
import KeelVM
import XCTest
@testable import KeelStark

/// For every constraint `k` of the VM AIR (spec/STARK.md §9.3), a tampered trace or statement
/// that breaks `k`, found by searching single-cell changes of an honest trace (and, for the logUp
/// constraints, changes of the aux trace), preferring the fewest other broken constraints `S`.
/// Most constraints share columns with the program bus or with each other, so a fixture often
/// breaks a few: then the other ones are masked on both sides in both runs. A prover that skips
/// its own checks proves the fixture; with `S` masked the verifier still rejects it, and with
/// `S ∪ {k}` masked the same trace verifies: `k` alone makes the difference, so it is live and the
/// fixture aims at it.
final class VmConstraintSoundnessTests: XCTestCase {
    /// Every kind of step: add, mul, load, store, taken and untaken jumps, reg/imm/fpo operands,
    /// a frame move, a halt.
    static let source = """
        .memory 8
        .storage 1
        .inputs 1
        .outputs 1
            jump 1, start, fp+8
        start:
            add r1, 3, 0
            mul r2, r1, fp+2
            deref r3, [r4 + 1]
            deref [r4 + 2], r2
            jump 0, start
            add r5, r3, r1
            jump r5, end
            add r6, 1, 1
        end:
            halt
        """

    /// Cheaper than `.standard` (blowup 2, 4 queries, no grinding): rejection comes from the
    /// same checks, and the suite stays fast.
    static let parameters = StarkParameters(
        logBlowup: 1, logArity: 3, logFinalDegree: 5, queryCount: 4, commitGrindBits: 0, foldGrindBits: 0, queryGrindBits: 0)

    struct Fixture {
        let name: String
        let air: VmAir
        let main: [[Fp]]
        let auxOverride: (@Sendable ([[Fp4]]) -> [[Fp4]])?
        /// The only rows whose constraints the change can affect (nil: all).
        var rows: [Int]? = nil
        /// The one main row changed, if the aux trace may be patched instead of rebuilt.
        var patchedRow: Int? = nil
    }

    private static let challenges: [Fp4] = {
        var random = SplitMix64(seed: 99)
        return (0..<2).map { _ in Fp4(Fp(random.next()), Fp(random.next()), Fp(random.next()), Fp(random.next())) }
    }()

    /// The honest aux trace of the honest main trace, which single-cell fixtures patch.
    private var honestAux: [[Fp4]] = []

    /// The aux trace of `main`, which differs from the honest main trace at most in row `row`:
    /// that row's helpers recomputed and the running sum shifted from there on.
    private func patchedAux(_ main: [[Fp]], row: Int) -> [[Fp4]] {
        let helpers = VmBuses.helperCount
        let rowAux = VmBuses.auxTrace(main: main.map { [$0[row]] }, challenges: Self.challenges)
        var aux = honestAux
        let delta = rowAux[helpers][0] - (0..<helpers).reduce(Fp4.zero) { $0 + honestAux[$1][row] }
        for helper in 0..<helpers { aux[helper][row] = rowAux[helper][0] }
        for later in row..<aux[helpers].count { aux[helpers][later] += delta }
        return aux
    }

    private func failing(_ fixture: Fixture, rows: [Int]? = nil) -> Set<Int> {
        let built = fixture.patchedRow.map { patchedAux(fixture.main, row: $0) }
            ?? fixture.air.buildAuxTrace(main: fixture.main, challenges: Self.challenges)
        let aux = fixture.auxOverride?(built) ?? built
        return TraceConstraintChecker.failingConstraints(fixture.air, main: fixture.main, aux: aux, challenges: Self.challenges, rows: rows)
    }

    /// Single-cell changes at rows that show every kind of step, the first frozen rows and the
    /// last row; statement changes; aux changes for the logUp constraints.
    private func candidates(program: Program, trace: VmTrace) -> [Fixture] {
        let air = trace.air
        let steps = Int(trace.statement.result.steps)
        let rows = Array(Set(Array(0..<(steps + 2)) + [trace.columns[0].count - 1, 100])).sorted()
        var result: [Fixture] = []
        for column in VmColumn.allCases {
            for row in rows {
                let value = trace.columns[column.rawValue][row]
                for replacement in [value + .one, Fp(2)] where replacement != value {
                    var main = trace.columns
                    main[column.rawValue][row] = replacement
                    result.append(Fixture(name: "\(column) row \(row) = \(replacement)", air: air, main: main, auxOverride: nil,
                                          rows: [row - 1, row, main[0].count - 1].filter { $0 >= 0 }, patchedRow: row))
                }
            }
        }
        var longer = trace.statement.result
        longer.steps += 1
        let statement = trace.statement
        let longerAir = VmAir(VmStatement(program: program, storage: statement.storage, input: statement.input,
                                          stepLimit: statement.stepLimit, result: longer))
        result.append(Fixture(name: "statement T + 1", air: longerAir, main: trace.columns, auxOverride: nil))
        result.append(contentsOf: logUpCandidates(air: air, trace: trace))
        return result
    }

    /// The helper constraint: two helpers moved by ±1 with the sum rebuilt; the sum's first-row
    /// and transition constraints: a broken lookup (an operand off the program) whose nonzero
    /// total the sum absorbs at row 0 or at row 5.
    private func logUpCandidates(air: VmAir, trace: VmTrace) -> [Fixture] {
        let helpers = VmBuses.helperCount
        func moveHelpers(_ first: Int, _ second: Int) -> @Sendable ([[Fp4]]) -> [[Fp4]] {
            { aux in
                var aux = aux
                aux[first][1] += .one
                aux[second][3] -= .one
                var running = Fp4.zero
                for row in aux[helpers].indices {
                    running += (0..<helpers).reduce(Fp4.zero) { $0 + aux[$1][row] }
                    aux[helpers][row] = running
                }
                return aux
            }
        }
        var brokenLookup = trace.columns
        brokenLookup[VmColumn.programMultiplicity.rawValue][1] += .one
        func absorbed(from start: Int) -> @Sendable ([[Fp4]]) -> [[Fp4]] {
            { aux in
                var aux = aux
                let total = aux[helpers][aux[helpers].count - 1]
                for row in start..<aux[helpers].count { aux[helpers][row] -= total }
                return aux
            }
        }
        return stride(from: 0, to: helpers, by: 2).map {
            Fixture(name: "aux helpers \($0) and \($0 + 1) moved", air: air, main: trace.columns, auxOverride: moveHelpers($0, $0 + 1))
        } + [
            Fixture(name: "sum absorbs at row 0", air: air, main: brokenLookup, auxOverride: absorbed(from: 0)),
            Fixture(name: "sum absorbs at row 5", air: air, main: brokenLookup, auxOverride: absorbed(from: 5)),
        ]
    }

    func testEveryConstraintHasAFixtureTheVerifierRejects() throws {
        let program = try Assembler.assemble(Self.source)
        let trace = try VmTrace.build(program: program, storage: [4], input: [9], stepLimit: 100)
        XCTAssertEqual(trace.statement.result.status, .halted)
        let honestAir = trace.air
        XCTAssertEqual(failing(Fixture(name: "honest", air: honestAir, main: trace.columns, auxOverride: nil)), [])
        honestAux = honestAir.buildAuxTrace(main: trace.columns, challenges: Self.challenges)
        var fixtures: [Int: (fixture: Fixture, others: Set<Int>)] = [:]
        for candidate in candidates(program: program, trace: trace) {
            let broken = failing(candidate, rows: candidate.rows)
            for constraint in broken where fixtures[constraint].map({ $0.others.count > broken.count - 1 }) ?? true {
                fixtures[constraint] = (candidate, broken.subtracting([constraint]))
            }
        }
        let constraintCount = StarkSecurity.constraintCount(honestAir)
        let missing = Set(0..<constraintCount).subtracting(fixtures.keys).sorted()
        XCTAssertEqual(missing, [], "constraints without a fixture")
        let isolated = fixtures.values.filter { $0.others.isEmpty }.count
        print("VM AIR soundness: \(fixtures.count) of \(constraintCount) constraints have fixtures, \(isolated) break only their constraint")
        for (constraint, entry) in fixtures.sorted(by: { $0.key < $1.key }) {
            try assertRejectedUnlessMasked(constraint, entry.fixture, alsoMasked: entry.others)
        }
    }

    private func assertRejectedUnlessMasked(_ constraint: Int, _ fixture: Fixture, alsoMasked others: Set<Int>) throws {
        let parameters = Self.parameters
        let shape = StarkProofShape(air: fixture.air, parameters: parameters)
        for (mask, shouldVerify) in [(others, false), (others.union([constraint]), true)] {
            let options = StarkProver.Options(checkConstraints: false, maskedConstraints: mask, auxOverride: fixture.auxOverride)
            let (proof, _) = try StarkProver.proveReportingFailures(fixture.air, trace: fixture.main, parameters: parameters, options: options)
            let decoded = try StarkProof(decoding: proof.encoded(), shape: shape)
            let verified = (try? StarkVerifier.verify(fixture.air, decoded: decoded, parameters: parameters, masked: mask)) != nil
            XCTAssertEqual(verified, shouldVerify, "constraint \(constraint) (\(fixture.name)), masked \(mask.sorted())")
        }
    }
}
