/// The tunable numbers of `keel-stark-v1` (spec/STARK.md §8). A verifier uses its own
/// parameters, never ones read from a proof; they are absorbed into the transcript so that a
/// proof made under other parameters fails.
public struct StarkParameters: Hashable, Sendable {
    /// `log2` of the LDE blowup `b`; the code rate is `1/b`.
    public var logBlowup: Int
    /// `log2` of the largest FRI folding arity.
    public var logArity: Int
    /// `log2` of FRI's final degree bound, when the trace is longer.
    public var logFinalDegree: Int
    public var queryCount: Int
    public var commitGrindBits: Int
    public var foldGrindBits: Int
    public var queryGrindBits: Int

    public init(
        logBlowup: Int, logArity: Int, logFinalDegree: Int, queryCount: Int,
        commitGrindBits: Int, foldGrindBits: Int, queryGrindBits: Int
    ) {
        self.logBlowup = logBlowup
        self.logArity = logArity
        self.logFinalDegree = logFinalDegree
        self.queryCount = queryCount
        self.commitGrindBits = commitGrindBits
        self.foldGrindBits = foldGrindBits
        self.queryGrindBits = queryGrindBits
    }

    /// The parameters of spec §8: blowup 8, arity 8, final degree 32, 29 queries, grinding
    /// 8/8/16 bits.
    public static let standard = StarkParameters(
        logBlowup: 3, logArity: 3, logFinalDegree: 5, queryCount: 29,
        commitGrindBits: 8, foldGrindBits: 8, queryGrindBits: 16)

    /// Why these parameters are unusable, or `nil`.
    public var problem: String? {
        if !(1...4).contains(logBlowup) { return "logBlowup must be 1...4" }
        if !(1...4).contains(logArity) { return "logArity must be 1...4" }
        if !(0...10).contains(logFinalDegree) { return "logFinalDegree must be 0...10" }
        if !(1...255).contains(queryCount) { return "queryCount must be 1...255" }
        for bits in [commitGrindBits, foldGrindBits, queryGrindBits] where !(0...30).contains(bits) {
            return "grinding bits must be 0...30"
        }
        return nil
    }

    /// The seven bytes absorbed as the parameters, in declaration order.
    public var encoded: [UInt8] {
        [logBlowup, logArity, logFinalDegree, queryCount, commitGrindBits, foldGrindBits, queryGrindBits]
            .map { UInt8(truncatingIfNeeded: $0) }
    }
}
