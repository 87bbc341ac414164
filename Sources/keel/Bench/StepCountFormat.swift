/// Prints a VM step count: an exact power of ten as "10^5", anything else with thousands
/// separators ("123,456").
enum StepCountFormat {
    /// Formats a step count.
    ///
    /// - Parameter steps: The count.
    /// - Returns: "10^k" when `steps` is exactly `10^k` for some k of 1 or more, otherwise the
    ///   digits grouped by three.
    static func string(_ steps: UInt64) -> String {
        if let exponent = powerOfTenExponent(steps), exponent >= 1 { return "10^\(exponent)" }
        let digits = Array(String(steps))
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        precondition(grouped.filter { $0 != "," }.count == digits.count)
        return grouped
    }

    /// The k for which `value == 10^k`, or nil when `value` is no power of ten.
    static func powerOfTenExponent(_ value: UInt64) -> Int? {
        guard value > 0 else { return nil }
        var rest = value
        var exponent = 0
        while rest % 10 == 0 {
            rest /= 10
            exponent += 1
        }
        return rest == 1 ? exponent : nil
    }
}
