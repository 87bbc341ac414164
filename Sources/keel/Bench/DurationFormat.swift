/// Prints a nanosecond count in the largest unit that keeps it at 1 or more: "850 ns",
/// "1.50 µs", "2.50 ms", "12.3 s", with three significant digits.
enum DurationFormat {
    /// The units in ascending order with their size in nanoseconds.
    static let units: [(name: String, ns: UInt64)] = [
        ("ns", 1), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
    ]

    /// Formats a duration with three significant digits.
    ///
    /// - Parameter ns: The duration in nanoseconds.
    /// - Returns: For example "1.50 µs" for 1_500, "2.50 ms" for 2_500_000. Whole nanoseconds
    ///   print as they are ("7 ns"), and 1_000 s or more as whole seconds.
    static func string(ns: UInt64) -> String {
        precondition(units.count == 4 && units[0].ns == 1)
        if ns < 1_000 { return "\(ns) ns" }
        var index = units.count - 1
        while units[index].ns > ns { index -= 1 }
        precondition(index >= 1, "values below 1 µs returned above")
        var text = SignificantFormat.string(Double(ns) / Double(units[index].ns))
        // 999_999 ns rounds to "1000 µs": print it as "1.00 ms" instead.
        if text.hasPrefix("1000"), index + 1 < units.count {
            index += 1
            text = SignificantFormat.string(Double(ns) / Double(units[index].ns))
        }
        return text + " " + units[index].name
    }

    /// Labels the decade `10^exponent` ns of a log axis without decimals: "1 ns", "100 ns",
    /// "1 µs", "10 ms", "1 s", "1000 s".
    ///
    /// - Parameter exponent: The decade, 0 or more.
    /// - Returns: The label.
    static func decadeLabel(exponent: Int) -> String {
        precondition(exponent >= 0 && exponent <= 19, "a UInt64 of nanoseconds spans 10^0 through 10^19")
        let index = min(exponent / 3, units.count - 1)
        var mantissa: UInt64 = 1
        for _ in 0..<(exponent - 3 * index) { mantissa *= 10 }
        precondition(mantissa >= 1)
        return "\(mantissa) \(units[index].name)"
    }
}
