import Foundation

/// The conjectured security of one statement size (spec/STARK.md §8). Every term is a bound
/// in bits on one way to cheat; the claim is the least of them. These are conjectures from the
/// STARK literature (ethSTARK Eq. 19 for the queries, the Schwartz–Zippel counts for the
/// random challenges), not proofs.
public struct StarkSecurity: Hashable, Sendable {
    /// One bound: its name, the formula in words, and its value in bits.
    public struct Term: Hashable, Sendable {
        public let name: String
        public let formula: String
        public let bits: Double
    }

    public let terms: [Term]

    /// The claimed security: the least term.
    public var bits: Double { terms.map(\.bits).min()! }

    /// `log2 |E|` for `E = F_p^4`.
    public static let extensionBits = 4 * log2(Double(Fp.modulus))

    /// The terms for `air` with `2^logTraceLength` rows under `parameters`.
    public init<A: Air>(air: A, parameters: StarkParameters, logTraceLength: Int) {
        let field = StarkSecurity.extensionBits
        let rows = Double(1 << logTraceLength)
        let chunks = Double(StarkProofShape.quotientChunkCount(maxConstraintDegree: air.maxConstraintDegree))
        let ldeSize = rows * Double(1 << parameters.logBlowup)
        let arity = Double(1 << parameters.logArity)
        let columns = Double(air.mainWidth + 4 * air.auxWidth)
        var terms = [
            Term(name: "queries", formula: "queries · log2(blowup) + query grinding − 1 (ethSTARK Eq. 19)",
                 bits: Double(parameters.queryCount * parameters.logBlowup + parameters.queryGrindBits) - 1),
            Term(name: "constraint combination", formula: "log2|E| − log2(constraints)",
                 bits: field - log2(Double(max(StarkSecurity.constraintCount(air), 1)))),
            Term(name: "out-of-domain point", formula: "log2|E| − log2((q + 1)·N) − 1",
                 bits: field - log2((chunks + 1) * rows) - 1),
            Term(name: "DEEP combination", formula: "log2|E| − log2(2·columns + 4q)",
                 bits: field - log2(2 * columns + 4 * chunks)),
            Term(name: "FRI folding", formula: "log2|E| − log2((arity − 1)·|D|) + folding grinding",
                 bits: field - log2((arity - 1) * ldeSize) + Double(parameters.foldGrindBits)),
            Term(name: "hash", formula: "SHA-256 collision resistance", bits: 128),
        ]
        if air.challengeSoundnessFactor > 0 {
            terms.append(Term(name: "AIR challenges", formula: "log2|E| − log2(B·N) + commitment grinding",
                              bits: field - log2(Double(air.challengeSoundnessFactor) * rows) + Double(parameters.commitGrindBits)))
        }
        self.terms = terms
    }

    /// How many constraints `air` states.
    static func constraintCount<A: Air>(_ air: A) -> Int {
        var folder = TraceWindowFolder(
            mainWidth: air.mainWidth, auxWidth: air.auxWidth,
            challenges: [Fp4](repeating: .zero, count: air.challengeCount),
            auxPublicValues: [Fp4](repeating: .zero, count: 8), mode: .accumulate, accumulator: ConstraintAccumulator(alpha: .one, masked: []))
        air.evaluate(&folder)
        return folder.accumulator.count
    }
}
