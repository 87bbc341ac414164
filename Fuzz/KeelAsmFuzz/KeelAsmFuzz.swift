import KeelVM

/// Fuzzes the `.kasm` assembler (spec/VM.md section 7) with arbitrary text.
///
/// The input bytes are read as UTF-8 (invalid sequences become U+FFFD, so every input is some
/// text). For every input:
/// - the assembler either returns a program or throws an `AssemblyError` whose line is at
///   least 1 and at most the number of lines + 1, and whose column is at least 1 and at most
///   the byte length of that line + 1 (columns count UTF-8 bytes, as the parser reads them);
///   never a crash;
/// - an accepted program encodes to bytes that `Program(decoding:)` accepts and that re-encode
///   to the same bytes;
/// - its disassembly assembles again, to the same bytes.
/// Any violation traps, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let source = String(decoding: bytes, as: UTF8.self)
    let program: Program
    do {
        program = try Assembler.assemble(source)
    } catch {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        precondition(error.line >= 1, "error line below 1: \(error)")
        precondition(error.line <= lines.count + 1, "error line past the end (\(lines.count) lines): \(error)")
        precondition(error.column >= 1, "error column below 1: \(error)")
        if error.line <= lines.count {
            let width = lines[error.line - 1].utf8.count
            precondition(error.column <= width + 1, "error column past the line's end (\(width) bytes): \(error)")
        }
        return 0
    }
    let encoded = program.encoded()
    guard let decoded = try? Program(decoding: encoded) else {
        preconditionFailure("an assembled program does not decode:\n\(source)")
    }
    precondition(decoded.encoded() == encoded, "decoding an assembled program changed its bytes")
    let text = Disassembler.disassemble(program)
    let reassembled: Program
    do {
        reassembled = try Assembler.assemble(text)
    } catch {
        preconditionFailure("disassembly does not assemble (\(error)):\n\(text)")
    }
    precondition(reassembled.encoded() == encoded, "disassembly round trip changed the bytes:\n\(text)")
    return 0
}
