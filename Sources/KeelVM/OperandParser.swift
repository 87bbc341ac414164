/// Parses one `.kasm` operand: `rK`, `fp`, `fp+K`, an integer, a label, or `[rB + K]`.
enum OperandParser {
    static func parse(_ raw: [UInt8], line: Int, column: Int) throws(AssemblyError) -> SourceOperand {
        // Leading spaces move the column; interior spaces are not significant.
        let leading = raw.prefix(while: LineCursor.isSpace).count
        let start = column + leading
        let text = raw.filter { !LineCursor.isSpace($0) }
        let fail = { (message: String) in AssemblyError(line: line, column: start, message) }
        guard !text.isEmpty else { throw fail("missing operand") }
        let spelled = String(decoding: text, as: UTF8.self)
        guard let value = try parseValue(text, allowMemory: true, fail: fail) else {
            throw fail("cannot read operand '\(spelled)': expected rK, fp+K, an integer, a label or [rB + K]")
        }
        return SourceOperand(value: value, column: start)
    }

    private static func parseValue(
        _ text: [UInt8], allowMemory: Bool, fail: (String) -> AssemblyError
    ) throws(AssemblyError) -> SourceOperand.Value? {
        let spelled = String(decoding: text, as: UTF8.self)
        if text.first == UInt8(ascii: "[") {
            guard allowMemory else { return nil }
            guard text.last == UInt8(ascii: "]"), text.count > 2 else { throw fail("unclosed memory operand '\(spelled)'") }
            let inside = Array(text.dropFirst().dropLast())
            let parts = inside.split(separator: UInt8(ascii: "+"), maxSplits: 1, omittingEmptySubsequences: false)
            guard case .register(let base)? = try parseValue(Array(parts[0]), allowMemory: false, fail: fail) else {
                throw fail("memory operand '\(spelled)' must start with a register, as in [r2 + 4]")
            }
            guard parts.count == 2 else { return .memory(base: base, offset: .init(.immediate(0))) }
            switch try parseValue(Array(parts[1]), allowMemory: false, fail: fail) {
            case let offset? where offset.isImmediateOrLabel:
                return .memory(base: base, offset: .init(offset))
            default:
                throw fail("the offset in '\(spelled)' must be an integer or a label")
            }
        }
        if text == Array("fp".utf8) { return .framePointerOffset(0) }
        if text.starts(with: Array("fp+".utf8)) {
            return .framePointerOffset(try index(Array(text.dropFirst(3)), spelled: spelled, fail: fail))
        }
        if text.count > 1, text[0] == UInt8(ascii: "r"), text.dropFirst().allSatisfy(isDigit) {
            return .register(try index(Array(text.dropFirst()), spelled: spelled, fail: fail))
        }
        if let first = text.first, isDigit(first) || first == UInt8(ascii: "-") {
            return .immediate(try immediate(text, spelled: spelled, fail: fail))
        }
        if let first = text.first, LineCursor.isIdentifierStart(first), text.allSatisfy(LineCursor.isIdentifierByte) {
            return .label(spelled)
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A register or frame offset: decimal, below p, not reduced.
    private static func index(_ digits: [UInt8], spelled: String, fail: (String) -> AssemblyError) throws(AssemblyError) -> UInt32 {
        guard !digits.isEmpty, digits.allSatisfy(isDigit) else { throw fail("'\(spelled)' needs a decimal index") }
        var value: UInt64 = 0
        for digit in digits {
            value = value * 10 + UInt64(digit - UInt8(ascii: "0"))
            guard value < UInt64(KoalaBear.p) else { throw fail("index in '\(spelled)' is not below p = \(KoalaBear.p)") }
        }
        return UInt32(value)
    }

    /// An immediate: decimal or 0x hex, optionally negative, reduced mod p (any length).
    private static func immediate(_ text: [UInt8], spelled: String, fail: (String) -> AssemblyError) throws(AssemblyError) -> UInt32 {
        var digits = text[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        var radix: UInt64 = 10
        if digits.starts(with: Array("0x".utf8)) || digits.starts(with: Array("0X".utf8)) {
            radix = 16
            digits = digits.dropFirst(2)
        }
        guard !digits.isEmpty else { throw fail("'\(spelled)' is not a number") }
        var value: UInt64 = 0
        for byte in digits {
            guard let digit = hexValue(byte), UInt64(digit) < radix else { throw fail("'\(spelled)' is not a number") }
            value = (value * radix + UInt64(digit)) % UInt64(KoalaBear.p)
        }
        let reduced = UInt32(value)
        return negative ? KoalaBear.negate(reduced) : reduced
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension SourceOperand.Value {
    var isImmediateOrLabel: Bool {
        switch self {
        case .immediate, .label: return true
        default: return false
        }
    }
}
