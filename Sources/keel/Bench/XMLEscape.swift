/// Escapes text for XML character data and attribute values (SVG text, titles).
enum XMLEscape {
    /// Replaces the five XML special characters by their entities and drops the control
    /// characters XML 1.0 forbids, so that any input yields well-formed XML.
    ///
    /// - Parameter text: Any text.
    /// - Returns: The escaped text.
    static func string(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                // XML 1.0 allows no other C0 control and no U+FFFE/U+FFFF.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
