/// What a verifier knows before reading a proof: the AIR's widths and the parameters. Together
/// with the proof's `log2 N` it fixes every count in the encoding (spec/STARK.md §8).
public struct StarkProofShape: Hashable, Sendable {
    public let mainWidth: Int
    /// Aux base columns: four per aux extension column.
    public let auxBaseWidth: Int
    /// Quotient base columns: `4q`.
    public let quotientWidth: Int
    /// The least and greatest `log2 N` a proof may have; none when `least > greatest`.
    public let logTraceLengthLeast: Int
    public let logTraceLengthGreatest: Int
    public let parameters: StarkParameters

    /// The shape of `air`'s proofs under `parameters`.
    public init(air: some Air, parameters: StarkParameters) {
        mainWidth = air.mainWidth
        auxBaseWidth = 4 * air.auxWidth
        quotientWidth = 4 * StarkProofShape.quotientChunkCount(maxConstraintDegree: air.maxConstraintDegree)
        let range = air.logTraceLengthRange
        logTraceLengthLeast = max(range.lowerBound, StarkProofShape.logTraceLengthMin)
        logTraceLengthGreatest = min(range.upperBound, StarkProofShape.logTraceLengthMax, Fp.twoAdicity - parameters.logBlowup)
        self.parameters = parameters
    }

    /// `2^2 ≤ N ≤ 2^21` (spec §2).
    public static let logTraceLengthMin = 2
    public static let logTraceLengthMax = 21

    /// `q`: the least power of two `≥ d − 1`, at least 1 (spec §2).
    public static func quotientChunkCount(maxConstraintDegree: Int) -> Int {
        precondition((1...3).contains(maxConstraintDegree), "constraint degree must be 1...3")
        return maxConstraintDegree <= 2 ? 1 : 2
    }

    /// Whether a proof may have `2^logTraceLength` rows.
    public func allows(logTraceLength: Int) -> Bool {
        logTraceLength >= logTraceLengthLeast && logTraceLength <= logTraceLengthGreatest
    }

    /// Widths of the committed trace matrices in proof order.
    public var matrixWidths: [Int] {
        auxBaseWidth > 0 ? [mainWidth, auxBaseWidth, quotientWidth] : [mainWidth, quotientWidth]
    }
}
