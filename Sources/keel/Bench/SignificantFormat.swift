/// Prints a non-negative number with a fixed count of significant digits ("1.50", "12.3",
/// "123"), without `String(format:)`, so the output never depends on a locale.
enum SignificantFormat {
    /// The largest count of significant digits `string(_:digits:)` accepts.
    static let digitsMax = 6

    /// Formats `value` with `digits` significant digits; values of `10^digits` or more print as
    /// whole numbers (so 1234.4 with 3 digits prints "1234").
    ///
    /// - Parameters:
    ///   - value: A finite value, zero or more.
    ///   - digits: Significant digits, 1 through `digitsMax`.
    /// - Returns: The value rounded half away from zero, with trailing zeros kept ("1.50").
    static func string(_ value: Double, digits: Int = 3) -> String {
        precondition(value.isFinite, "only finite values can be formatted")
        precondition(value >= 0, "only non-negative values are formatted")
        precondition(digits >= 1 && digits <= digitsMax)
        if value == 0 { return digits == 1 ? "0" : "0." + String(repeating: "0", count: digits - 1) }
        var decimals = self.decimals(for: value, digits: digits)
        // Rounding can carry into a new digit (9.996 -> "10.0"): count again on the rounded value.
        let rounded = round(value, decimals: decimals)
        decimals = self.decimals(for: rounded, digits: digits)
        return fixed(value, decimals: decimals)
    }

    /// Formats `value` with exactly `decimals` digits after the point.
    ///
    /// - Parameters:
    ///   - value: A finite value, zero or more, below 2^53.
    ///   - decimals: Digits after the point, 0 through `digitsMax`.
    /// - Returns: For example "2.50" for 2.5 and 2 decimals.
    static func fixed(_ value: Double, decimals: Int) -> String {
        precondition(value.isFinite && value >= 0 && value < 9.0e15)
        precondition(decimals >= 0 && decimals <= digitsMax)
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let units = UInt64((value * Double(scale)).rounded(.toNearestOrAwayFromZero))
        let whole = String(units / scale)
        if decimals == 0 { return whole }
        let fraction = String(units % scale)
        return whole + "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }

    private static func decimals(for value: Double, digits: Int) -> Int {
        // The count of significant digits before the point: none below 1.
        var magnitude = value < 1 ? 0 : 1
        var limit = 10.0
        while value >= limit, magnitude < 20 {
            magnitude += 1
            limit *= 10
        }
        var decimals = max(0, digits - magnitude)
        // Below 0.1, leading zeros after the point are not significant either (0.0123).
        var threshold = 1.0
        while value < threshold / 10, decimals < digitsMax {
            decimals += 1
            threshold /= 10
        }
        return min(decimals, digitsMax)
    }

    private static func round(_ value: Double, decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded(.toNearestOrAwayFromZero) / scale
    }
}
