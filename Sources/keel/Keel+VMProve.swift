import ArgumentParser
import Foundation
import KeelStark
import KeelVM

extension Keel.VM {
    /// `keel vm prove`: runs a program and writes a STARK of its result (spec/STARK.md §9.6).
    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prove",
            abstract: "Run a program and write a STARK proof of its result (keel-stark-v1).",
            discussion: """
                Runs PROGRAM like `keel vm run`, then proves the run with the VM AIR of \
                spec/STARK.md and writes the proof with its statement (program hash, storage, \
                input, step limit and result) to -o. A run ending in a memory, jump or frame \
                fault, or needing more than 2^21 trace rows, is not proven: the file then says \
                that a verifier must re-execute it. Proving takes about a second per 2^16 steps.
                """)

        @OptionGroup var call: VMCallOptions

        @Option(name: .shortAndLong, help: "The proof file to write.")
        var output: String

        @Flag(help: "Print one JSON object instead of text.")
        var json = false

        func run() throws {
            let (loaded, storageValues, inputValues) = try call.load()
            FileHandle.standardError.write(Data("keel vm prove: running and proving \(call.program)\n".utf8))
            let start = DispatchTime.now().uptimeNanoseconds
            let proof = try VmCallProof.prove(program: loaded, storage: storageValues, input: inputValues, stepLimit: call.maxSteps)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let bytes = proof.encoded()
            try ProgramFile.write(bytes, to: output)
            let evidence = switch proof.evidence {
            case .stark: "stark"
            case .reexecute(let reason): "reexecute (\(reason))"
            }
            if json {
                print(#"{"result":\#(ResultFormat.json(proof.result)),"evidence":"\#(evidence)","proof_bytes":\#(bytes.count),"prove_seconds":\#(String(format: "%.3f", seconds))}"#)
            } else {
                print(ResultFormat.text(proof.result))
                print("proof:   \(evidence), \(bytes.count) bytes in \(String(format: "%.2f", seconds)) s, written to \(output)")
            }
        }
    }

    /// `keel vm verify`: checks a proof file from `keel vm prove` against a program.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check a proof from `keel vm prove`: exit 0 if valid, 1 with the reason if not, 2 for unusable input.",
            discussion: VmCallProof.guarantee)

        @Argument(help: "The program the proof is about: .kasm source or .kvm.")
        var program: String

        @Argument(help: "The proof file.")
        var proof: String

        @Option(help: "Require this input (decimal, comma-separated); default: the proof's own.")
        var input: String?

        @Option(help: "Require this initial storage; default: the proof's own.")
        var storage: String?

        @Option(help: "Require this step limit; default: the proof's own.")
        var maxSteps: UInt64?

        @Flag(help: "Print one JSON object instead of text.")
        var json = false

        func run() throws {
            let loaded = try ProgramFile.load(at: program)
            let bytes = [UInt8](try ProgramFile.read(proof))
            let requiredStorage = try storage.map { try FieldList.parse($0, name: "--storage", count: loaded.storageCount) }
            let requiredInput = try input.map { try FieldList.parse($0, name: "--input", count: loaded.inputCount) }
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                let callProof = try VmCallProof(decoding: bytes)
                if let requiredStorage, requiredStorage != callProof.storage { throw StarkError.invalid("the proof is for other storage") }
                if let requiredInput, requiredInput != callProof.input { throw StarkError.invalid("the proof is for other input") }
                if let maxSteps, maxSteps != callProof.stepLimit { throw StarkError.invalid("the proof is for step limit \(callProof.stepLimit)") }
                if maxSteps == nil, case .reexecute = callProof.evidence, callProof.stepLimit > Interpreter.stepLimitDefault {
                    throw StarkError.invalid("re-executing up to \(callProof.stepLimit) steps: pass --max-steps \(callProof.stepLimit) to allow it")
                }
                let result = try callProof.verify(program: loaded)
                let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                report(valid: true, result: result, proof: callProof, milliseconds: milliseconds, reason: nil)
            } catch let error as StarkError {
                report(valid: false, result: nil, proof: nil, milliseconds: 0, reason: error.description)
                throw ExitCode(1)
            }
        }

        private func report(valid: Bool, result: ExecutionResult?, proof: VmCallProof?, milliseconds: Double, reason: String?) {
            let how = proof.map { if case .stark = $0.evidence { "proven" } else { "re-executed" } } ?? "invalid"
            if json {
                let body = result.map { #","result":\#(ResultFormat.json($0)),"checked_by":"\#(how)","verify_ms":\#(String(format: "%.3f", milliseconds))"# } ?? ""
                let why = reason.map { #","reason":"\#($0.replacingOccurrences(of: "\"", with: "'"))""# } ?? ""
                print(#"{"valid":\#(valid)\#(body)\#(why)}"#)
            } else if let result {
                print("valid (\(how), \(String(format: "%.2f", milliseconds)) ms)")
                print(ResultFormat.text(result))
            } else {
                print("invalid: \(reason ?? "")")
            }
        }
    }
}
