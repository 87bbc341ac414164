/// Prints a byte count in binary units: "512 B", "1.50 KiB", "12.3 MiB", with three
/// significant digits above 1 KiB.
enum ByteFormat {
    /// The units in ascending order; each is 1024 of the one before.
    static let units = ["B", "KiB", "MiB", "GiB", "TiB"]

    /// Formats a byte count.
    ///
    /// - Parameter bytes: The size, zero or more.
    /// - Returns: Whole bytes below 1 KiB ("1023 B"), otherwise the largest unit that keeps the
    ///   value at 1 or more, with three significant digits ("1.50 KiB").
    static func string(bytes: Int) -> String {
        precondition(bytes >= 0, "a size is never negative")
        if bytes < 1_024 { return "\(bytes) B" }
        var index = 0
        var scaled = Double(bytes)
        while scaled >= 1_024, index + 1 < units.count {
            scaled /= 1_024
            index += 1
        }
        precondition(index >= 1 && scaled >= 1)
        var text = SignificantFormat.string(scaled)
        // 1023.9 KiB rounds to "1024 KiB": print it as "1.00 MiB" instead.
        if text == "1024", index + 1 < units.count {
            index += 1
            text = SignificantFormat.string(scaled / 1_024)
        }
        return text + " " + units[index]
    }
}
