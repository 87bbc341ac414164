import KeelTestSupport
import KeelVM

/// Fuzzes the VM end to end: arbitrary bytes -> decode -> run, cross-checked against the
/// reference interpreter.
///
/// Input layout: bytes 0-1 the step limit (u16 LE), bytes 2-9 a seed for the storage and input
/// values, the rest a `.kvm` file. For every file the decoder accepts:
/// - re-encoding gives the same bytes (the encoding is canonical);
/// - disassembling and reassembling gives the same bytes (spec/VM.md section 7);
/// - the fast and the reference interpreter agree on status, fault, steps, pc, output, storage.
/// Any disagreement traps, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 10 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let stepLimit = UInt64(bytes[0]) | UInt64(bytes[1]) << 8
    var seed: UInt64 = 0
    for index in 2..<10 { seed |= UInt64(bytes[index]) << (8 * UInt64(index - 2)) }
    guard let program = try? Program(decoding: bytes[10...]) else { return 0 }

    let encoded = program.encoded()
    precondition(encoded.elementsEqual(bytes[10...]), "re-encoding changed the bytes")
    let text = Disassembler.disassemble(program)
    guard let reassembled = try? Assembler.assemble(text) else { preconditionFailure("disassembly does not assemble:\n\(text)") }
    precondition(reassembled.encoded() == encoded, "disassembly round trip changed the bytes:\n\(text)")

    var rng = SplitMix64(seed: seed)
    let storage = (0..<program.storageCount).map { _ in fieldValue(using: &rng) }
    let input = (0..<program.inputCount).map { _ in fieldValue(using: &rng) }
    let fast: ExecutionResult
    do {
        fast = try Interpreter(program).run(storage: storage, input: input, stepLimit: stepLimit)
    } catch {
        preconditionFailure("valid input rejected: \(error)")
    }
    // The reference zero-fills all 2^L cells per run; above 2^16 cells that would dominate the
    // fuzzer's time while adding no new behaviour (the unit tests cover the top of memory).
    guard program.memoryLog2 <= referenceMemoryLog2Max else { return 0 }
    let reference = ReferenceInterpreter.run(program, storage: storage, input: input, stepLimit: stepLimit)
    precondition(fast == reference, "interpreters disagree:\n\(text)\nfast: \(fast)\nreference: \(reference)")
    return 0
}

private let referenceMemoryLog2Max: UInt8 = 16

/// Mostly small values (addresses, counters), sometimes anything in the field.
private func fieldValue(using rng: inout SplitMix64) -> UInt32 {
    rng.next() % 4 == 0 ? UInt32(rng.next() % UInt64(KoalaBear.p)) : UInt32(rng.next() % 64)
}
