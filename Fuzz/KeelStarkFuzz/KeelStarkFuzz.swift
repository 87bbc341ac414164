import KeelStark
import KeelVM

/// Fuzzes the STARK verifier (Sources/KeelStark) with arbitrary and mutated proof bytes.
///
/// The fixture, built once: an honest proof of a 64-row Fibonacci trace and one of a 64-row
/// range lookup (the logUp example, with an aux phase and degree-3 constraints).
///
/// Input layout: byte 0 selects the mode (modulo 4), the rest is the mode's input:
/// - 0, **raw bytes**: verified against the lookup statement and against a *false* Fibonacci
///   statement (the honest result plus one). The verifier must not crash, and must never
///   accept the false statement.
/// - 1, **mutated lookup proof**: the rest is read as 3-byte edits (u16 offset modulo the proof
///   length, a byte to XOR in) applied to the honest lookup proof; verified against the lookup
///   statement. It must not crash; if it accepts, the bytes must decode to a proof that
///   re-encodes to exactly them (decoding is strict and canonical).
/// - 2, **mutated Fibonacci proof**: the same edits on the honest Fibonacci proof, verified
///   against the false statement: never accepted, whatever the edits.
/// - 3, **VM call proof**: the rest is decoded as a `VmCallProof` (spec/STARK.md §9.6). If it
///   decodes, it re-encodes to the same bytes; if its step limit is at most 10,000 it is verified
///   against the Fibonacci program, and a proof that verifies must state exactly the result the
///   interpreter gives (a forged result never passes).
///
/// Any violation traps, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let rest = Array(bytes.dropFirst())
    switch bytes[0] % 4 {
    case 0:
        _ = try? StarkVerifier.verify(Fixture.lookup, proof: rest)
        precondition((try? StarkVerifier.verify(Fixture.falseFibonacci, proof: rest)) == nil, "a false statement verified")
    case 1:
        let mutated = applyEdits(rest, to: Fixture.lookupProof)
        if (try? StarkVerifier.verify(Fixture.lookup, proof: mutated)) != nil {
            let decoded = try! StarkProof(decoding: mutated, shape: StarkProofShape(air: Fixture.lookup, parameters: .standard))
            precondition(decoded.encoded() == mutated, "an accepted proof is not canonical")
        }
    case 3:
        checkCallProof(rest)
    default:
        let mutated = applyEdits(rest, to: Fixture.fibonacciProof)
        precondition((try? StarkVerifier.verify(Fixture.falseFibonacci, proof: mutated)) == nil, "a false statement verified")
    }
    return 0
}

/// Mode 3: a decoded call proof is canonical, and one that verifies states the true result.
func checkCallProof(_ bytes: [UInt8]) {
    guard let proof = try? VmCallProof(decoding: bytes) else { return }
    precondition(proof.encoded() == bytes, "a decoded call proof is not canonical")
    guard proof.stepLimit <= 10_000, let result = try? proof.verify(program: Fixture.vmProgram) else { return }
    let actual = try! Interpreter(Fixture.vmProgram).run(storage: proof.storage, input: proof.input, stepLimit: proof.stepLimit)
    precondition(result == actual, "a call proof verified for a result the interpreter does not give")
}

/// XORs each 3-byte edit (u16 little-endian offset, byte) into `proof`.
func applyEdits(_ edits: [UInt8], to proof: [UInt8]) -> [UInt8] {
    var result = proof
    var index = 0
    while index + 3 <= edits.count && index < 3 * 64 {
        let offset = (Int(edits[index]) | Int(edits[index + 1]) << 8) % result.count
        result[offset] ^= edits[index + 2]
        index += 3
    }
    return result
}

enum Fixture {
    static let fibonacci = FibonacciAir.trace(logRows: 6)
    static let fibonacciProof = try! StarkProver.prove(fibonacci.air, trace: fibonacci.trace).encoded()
    static let falseFibonacci = FibonacciAir(first: fibonacci.air.first, result: fibonacci.air.result + .one)
    static let vmProgram = try! Assembler.assemble("""
        .memory 6
        .inputs 1
        .outputs 1
            jump 1, start, fp+8
        start:
            deref r0, [r1 + 0]
            add r2, 0, 0
            add r3, 1, 0
            jump r0, loop
            jump 1, done
        loop:
            add r4, r2, r3
            add r2, r3, 0
            add r3, r4, 0
            add r0, r0, -1
            jump r0, loop
        done:
            deref [r1 + 1], r2
        """)
    static let lookup = RangeLookupAir()
    static let lookupProof = try! StarkProver.prove(
        lookup, trace: RangeLookupAir.trace(values: (0..<UInt32(64)).map { ($0 * 11) % 64 })).encoded()
}
