/// The line-by-line state of the assembler: directives, labels and parsed instructions.
struct AssemblyParser {
    private var memoryLog2: UInt8 = 16
    private var counts: [String: UInt32] = [:]
    private var directiveLines: [String: Int] = [:]
    private var labels: [String: (index: Int, line: Int)] = [:]
    private var instructions: [SourceInstruction] = []

    private static let directives = [".memory", ".storage", ".inputs", ".outputs"]
    private static let mnemonics: Set<String> = ["add", "mul", "deref", "jump", "halt"]

    mutating func parseLine(_ raw: [UInt8], number line: Int) throws(AssemblyError) {
        // Strip the comment, then scan: optional labels, then a directive or an instruction.
        let text = raw.firstIndex(of: UInt8(ascii: ";")).map { Array(raw[..<$0]) } ?? raw
        var cursor = LineCursor(text, line: line)
        cursor.skipSpace()
        while let (name, column) = cursor.peekLabel() {
            try defineLabel(name, line: line, column: column)
            cursor.skipSpace()
        }
        guard !cursor.isAtEnd else { return }
        let (word, column) = cursor.word()
        if word.hasPrefix(".") {
            try parseDirective(word, column: column, cursor: &cursor)
        } else {
            guard Self.mnemonics.contains(word) else {
                throw cursor.error(at: column, "unknown mnemonic '\(word)'")
            }
            guard instructions.count < Int(Program.instructionCountMax) else {
                throw cursor.error(at: column, "more than \(Program.instructionCountMax) instructions")
            }
            let operands = try cursor.operands()
            instructions.append(SourceInstruction(mnemonic: word, operands: operands, line: line, column: column))
        }
    }

    private mutating func defineLabel(_ name: String, line: Int, column: Int) throws(AssemblyError) {
        if name == "fp" || (name.count > 1 && name.first == "r" && name.dropFirst().allSatisfy(\.isNumber)) {
            throw AssemblyError(line: line, column: column, "'\(name)' is an operand name and cannot be a label")
        }
        if let previous = labels[name] {
            throw AssemblyError(line: line, column: column, "label '\(name)' already defined on line \(previous.line)")
        }
        labels[name] = (instructions.count, line)
    }

    private mutating func parseDirective(_ word: String, column: Int, cursor: inout LineCursor) throws(AssemblyError) {
        guard Self.directives.contains(word) else { throw cursor.error(at: column, "unknown directive '\(word)'") }
        guard instructions.isEmpty else {
            throw cursor.error(at: column, "directive \(word) after the first instruction")
        }
        if let previous = directiveLines[word] {
            throw cursor.error(at: column, "directive \(word) already given on line \(previous)")
        }
        cursor.skipSpace()
        let valueColumn = cursor.column
        let (token, _) = cursor.word()
        guard let value = UInt32(token) else {
            throw cursor.error(at: valueColumn, "\(word) takes a decimal count, not '\(token)'")
        }
        cursor.skipSpace()
        guard cursor.isAtEnd else { throw cursor.error(at: cursor.column, "unexpected text after \(word) \(token)") }
        if word == ".memory" {
            guard value >= UInt32(Program.memoryLog2Min) && value <= UInt32(Program.memoryLog2Max) else {
                throw cursor.error(
                    at: valueColumn, ".memory must be \(Program.memoryLog2Min)...\(Program.memoryLog2Max), got \(value)")
            }
            memoryLog2 = UInt8(value)
        } else {
            counts[word] = value
        }
        directiveLines[word] = cursor.line
    }

    /// Resolves labels, lowers every instruction and checks the whole program.
    func finish() throws(AssemblyError) -> Program {
        var program = Program(
            memoryLog2: memoryLog2,
            storageCount: counts[".storage"] ?? 0,
            inputCount: counts[".inputs"] ?? 0,
            outputCount: counts[".outputs"] ?? 0,
            instructions: [])
        let total = UInt64(program.storageCount) + UInt64(program.inputCount) + UInt64(program.outputCount)
        guard total <= UInt64(program.memoryCellCount) else {
            let line = directiveLines.values.max() ?? 1
            throw AssemblyError(
                line: line, column: 1,
                "storage + inputs + outputs = \(total) exceeds the \(program.memoryCellCount) memory cells of .memory \(memoryLog2)")
        }
        let resolver = InstructionLowering(labels: labels.mapValues(\.index), instructionCount: UInt32(instructions.count))
        program.instructions.reserveCapacity(instructions.count)
        for source in instructions {
            program.instructions.append(try resolver.lower(source))
        }
        do throws(ProgramError) {
            try program.validate()
        } catch {
            // Lowering already enforces every instruction rule; this guards the assembler itself.
            preconditionFailure("assembler produced an invalid program: \(error)")
        }
        return program
    }
}
