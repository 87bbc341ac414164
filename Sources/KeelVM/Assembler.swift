/// The `.kasm` assembler of spec/VM.md section 7.
///
/// It works in two passes: the first parses every line and records label positions, the second
/// resolves label operands (so a label may be used before it is defined) and checks each
/// instruction against the encoding rules. Errors name the line and column of the offending token.
public enum Assembler {
    /// The largest source the assembler accepts; bounds its work on hostile input.
    public static let sourceByteCountMax = 64 << 20

    /// Assembles `.kasm` text into a valid program.
    ///
    /// - Throws: `AssemblyError` with the line and column of the first error.
    public static func assemble(_ source: String) throws(AssemblyError) -> Program {
        guard source.utf8.count <= sourceByteCountMax else {
            throw AssemblyError(line: 1, column: 1, "source is larger than \(sourceByteCountMax) bytes")
        }
        var parser = AssemblyParser()
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try parser.parseLine(Array(line.utf8), number: index + 1)
        }
        return try parser.finish()
    }
}

/// One operand as written, before labels are resolved.
struct SourceOperand {
    enum Value {
        case register(UInt32)
        case framePointerOffset(UInt32)
        case immediate(UInt32)
        case label(String)
        /// `[rB + K]`: the base register and the offset (an immediate or a label).
        case memory(base: UInt32, offset: Box)
    }

    /// Breaks the recursion of `.memory` holding an operand value.
    final class Box {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    var value: Value
    var column: Int
}

/// One instruction as written: mnemonic and operands with their source positions.
struct SourceInstruction {
    var mnemonic: String
    var operands: [SourceOperand]
    var line: Int
    var column: Int
}
