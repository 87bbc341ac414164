import Foundation

/// A base-10 logarithmic axis spanning whole decades, mapping values to pixels.
///
/// Values below 1 are drawn at 1, so a zero measurement never becomes `-infinity` or NaN.
struct LogAxis: Equatable, Sendable {
    /// The first decade shown: the axis starts at `10^exponentLow`.
    let exponentLow: Int
    /// The last decade shown, above `exponentLow`.
    let exponentHigh: Int
    /// The pixel of `10^exponentLow`.
    let pixelLow: Double
    /// The pixel of `10^exponentHigh` (smaller than `pixelLow` for an upward y axis).
    let pixelHigh: Double

    /// An axis covering `values` with whole decades: from the decade at or below the smallest to
    /// the decade at or above the largest (within `decadeTolerance`), and at least one decade
    /// wide.
    ///
    /// - Parameters:
    ///   - values: The values to show; empty gives the decade 10^0 to 10^1.
    ///   - pixelLow: Where the lowest decade is drawn.
    ///   - pixelHigh: Where the highest decade is drawn.
    init(covering values: [UInt64], pixelLow: Double, pixelHigh: Double) {
        precondition(pixelLow.isFinite && pixelHigh.isFinite && pixelLow != pixelHigh)
        let clamped = values.map { max($0, 1) }
        let low = clamped.min().map(Self.floorExponent) ?? 0
        let high = clamped.max().map(Self.ceilExponent) ?? 1
        exponentLow = low
        exponentHigh = max(high, low + 1)
        self.pixelLow = pixelLow
        self.pixelHigh = pixelHigh
        precondition(exponentHigh > exponentLow && exponentLow >= 0)
    }

    /// The pixel of `value`, which is clamped to at least 1.
    func pixel(_ value: UInt64) -> Double {
        let exponent = log10(Double(max(value, 1)))
        let fraction = (exponent - Double(exponentLow)) / Double(exponentHigh - exponentLow)
        let pixel = pixelLow + fraction * (pixelHigh - pixelLow)
        precondition(pixel.isFinite, "a clamped value always maps to a finite pixel")
        return pixel
    }

    /// The pixel of the decade `10^exponent`.
    func pixel(exponent: Int) -> Double {
        precondition(exponent >= exponentLow && exponent <= exponentHigh)
        let fraction = Double(exponent - exponentLow) / Double(exponentHigh - exponentLow)
        return pixelLow + fraction * (pixelHigh - pixelLow)
    }

    /// The decades to label, every one when they fit in `labelCountMax`, otherwise every
    /// second, third, ... one, always from `exponentLow`.
    func labelledExponents(labelCountMax: Int) -> [Int] {
        precondition(labelCountMax >= 2)
        let decades = exponentHigh - exponentLow
        let stride = (decades + labelCountMax - 1) / labelCountMax
        let labelled = Array(Swift.stride(from: exponentLow, through: exponentHigh, by: max(stride, 1)))
        precondition(!labelled.isEmpty && labelled.count <= labelCountMax + 1)
        return labelled
    }

    /// How far past a decade, as a fraction of a decade, a value may lie and still count as on it
    /// (about 4.7 %): a block that ran 100,000,007 steps for a requested 10^8 should not widen
    /// the axis to 10^9.
    static let decadeTolerance = 0.02

    /// The largest k with `10^k <= value`, within `decadeTolerance`.
    static func floorExponent(_ value: UInt64) -> Int {
        precondition(value >= 1)
        let exponent = Int((log10(Double(value)) + decadeTolerance).rounded(.down))
        precondition(exponent >= 0 && exponent <= 20)
        return exponent
    }

    /// The smallest k with `10^k >= value`, within `decadeTolerance`.
    static func ceilExponent(_ value: UInt64) -> Int {
        precondition(value >= 1)
        let exponent = Int((log10(Double(value)) - decadeTolerance).rounded(.up))
        precondition(exponent >= 0 && exponent <= 20)
        return exponent
    }
}
