/// Scans one `.kasm` line (comment already stripped), tracking the 1-based column.
struct LineCursor {
    let bytes: [UInt8]
    let line: Int
    private var position = 0

    init(_ bytes: [UInt8], line: Int) {
        self.bytes = bytes
        self.line = line
    }

    var column: Int { position + 1 }
    var isAtEnd: Bool { position >= bytes.count }

    func error(at column: Int, _ message: String) -> AssemblyError {
        AssemblyError(line: line, column: column, message)
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
    }

    mutating func skipSpace() {
        while position < bytes.count && Self.isSpace(bytes[position]) { position += 1 }
    }

    /// Consumes `name:` when the cursor is at a label definition.
    mutating func peekLabel() -> (String, Int)? {
        guard position < bytes.count, Self.isIdentifierStart(bytes[position]) else { return nil }
        var end = position
        while end < bytes.count && Self.isIdentifierByte(bytes[end]) { end += 1 }
        guard end < bytes.count && bytes[end] == UInt8(ascii: ":") else { return nil }
        let name = String(decoding: bytes[position..<end], as: UTF8.self)
        let column = self.column
        position = end + 1
        return (name, column)
    }

    /// Consumes a run of non-space bytes.
    mutating func word() -> (String, Int) {
        let start = position
        while position < bytes.count && !Self.isSpace(bytes[position]) { position += 1 }
        return (String(decoding: bytes[start..<position], as: UTF8.self), start + 1)
    }

    /// Splits the rest of the line at commas and parses each operand.
    mutating func operands() throws(AssemblyError) -> [SourceOperand] {
        skipSpace()
        guard !isAtEnd else { return [] }
        var result: [SourceOperand] = []
        var start = position
        while true {
            if position == bytes.count || bytes[position] == UInt8(ascii: ",") {
                result.append(try OperandParser.parse(Array(bytes[start..<position]), line: line, column: start + 1))
                if position == bytes.count { return result }
                position += 1
                start = position
            } else {
                position += 1
            }
        }
    }
}
