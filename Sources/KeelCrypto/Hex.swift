/// Hexadecimal encoding and decoding of byte strings.
///
/// Keys, hashes and signatures travel as hex in genesis files, the HTTP API, the command line
/// and the logs; one strict codec keeps all of them agreeing on what a valid spelling is.
public enum Hex {
    /// The lowercase digits, indexed by nibble value.
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Encodes bytes as lowercase hexadecimal with no prefix.
    ///
    /// - Parameter bytes: The bytes to encode.
    /// - Returns: Two lowercase digits per byte.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let digitCount = bytes.count * 2
        let encoded = String(unsafeUninitializedCapacity: digitCount) { output in
            var index = 0
            for byte in bytes {
                output[index] = digits[Int(byte >> 4)]
                output[index + 1] = digits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
        precondition(encoded.utf8.count == digitCount, "hex encoding must write two digits a byte")
        return encoded
    }

    /// Decodes hexadecimal digits into bytes.
    ///
    /// - Parameter string: An even number of hex digits in either case, optionally after a `0x`
    ///   or `0X` prefix. Whitespace and other separators are rejected, not skipped, so that two
    ///   spellings of one value cannot differ by more than case and prefix.
    /// - Returns: The bytes, or `nil` if the string is not valid hex.
    public static func decode(_ string: String) -> [UInt8]? {
        var utf8 = Substring(string).utf8
        if utf8.count >= 2, utf8.first == UInt8(ascii: "0"),
            utf8.dropFirst().first == UInt8(ascii: "x") || utf8.dropFirst().first == UInt8(ascii: "X")
        {
            utf8 = utf8.dropFirst(2)
        }
        guard utf8.count % 2 == 0 else {
            return nil
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count / 2)
        var high: UInt8?
        for character in utf8 {
            guard let nibble = nibbleValue(character) else {
                return nil
            }
            if let highNibble = high {
                bytes.append(highNibble << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        precondition(high == nil, "an even digit count leaves no half byte")
        return bytes
    }

    /// The value of one hex digit, or `nil` if `character` is not one.
    private static func nibbleValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
