/// What a verifier knows before reading a proof: the AIR's widths and the parameters. Together
/// with the proof's `log2 N` it fixes every count in the encoding (spec/STARK.md §8).
public struct StarkProofShape: Hashable, Sendable {
    public let mainWidth: Int
    /// Aux base columns: four per aux extension column.
    public let auxBaseWidth: Int
    /// Quotient base columns: `4q`.
    public let quotientWidth: Int
    public let logTraceLengthRange: ClosedRange<Int>
    public let parameters: StarkParameters

    /// The shape of `air`'s proofs under `parameters`.
    public init(air: some Air, parameters: StarkParameters) {
        mainWidth = air.mainWidth
        auxBaseWidth = 4 * air.auxWidth
        quotientWidth = 4 * StarkProofShape.quotientChunkCount(maxConstraintDegree: air.maxConstraintDegree)
        let range = air.logTraceLengthRange
        let lower = max(range.lowerBound, StarkProofShape.logTraceLengthMin)
        let upper = min(range.upperBound, StarkProofShape.logTraceLengthMax, Fp.twoAdicity - parameters.logBlowup)
        logTraceLengthRange = lower...max(lower, upper)
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

    /// Widths of the committed trace matrices in proof order.
    public var matrixWidths: [Int] {
        auxBaseWidth > 0 ? [mainWidth, auxBaseWidth, quotientWidth] : [mainWidth, quotientWidth]
    }
}
