import ArgumentParser
import Foundation
import KeelVM

extension Keel {
    /// `keel vm`: assemble, disassemble, run, prove and verify Keel VM programs (spec/VM.md section 8, spec/STARK.md).
    struct VM: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vm",
            abstract: "Assemble, disassemble, run, prove and verify Keel VM programs (spec/VM.md, spec/STARK.md).",
            subcommands: [Assemble.self, Disassemble.self, Run.self, Prove.self, Verify.self]
        )
    }
}

extension Keel.VM {
    struct Assemble: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "asm", abstract: "Assemble a .kasm source file into a .kvm program.")

        @Argument(help: "The assembly source (.kasm).")
        var source: String

        @Option(name: .shortAndLong, help: "The program file to write (default: the source with .kvm).")
        var output: String?

        func run() throws {
            let program = try ProgramFile.assemble(at: source)
            let destination = output ?? ProgramFile.replacingExtension(of: source, with: "kvm")
            try ProgramFile.write(program.encoded(), to: destination)
            print("wrote \(destination): \(program.instructionCount) instructions, hash \(program.hash.hex)")
        }
    }

    struct Disassemble: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disasm", abstract: "Print a .kvm program as .kasm text that assembles to the same bytes.")

        @Argument(help: "The program (.kvm).")
        var program: String

        func run() throws {
            print(Disassembler.disassemble(try ProgramFile.decode(at: program)), terminator: "")
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Run a program and print its result; a fault is a normal result (exit 0).")

        @OptionGroup var call: VMCallOptions

        @Flag(help: "Print one JSON object instead of text.")
        var json = false

        func run() throws {
            let (loaded, storageValues, inputValues) = try call.load()
            let result = try Interpreter(loaded).run(storage: storageValues, input: inputValues, stepLimit: call.maxSteps)
            print(json ? ResultFormat.json(result) : ResultFormat.text(result))
        }
    }
}

/// The program and arguments of one call, shared by `keel vm run` and `keel vm prove`.
struct VMCallOptions: ParsableArguments {
    @Argument(help: "The program: .kasm source is assembled first, anything else is decoded as .kvm.")
    var program: String

    @Option(help: "Input values, decimal in [0, p), comma-separated; exactly I of them (default: all zero).")
    var input: String?

    @Option(help: "Initial storage values, decimal in [0, p), comma-separated; exactly S of them (default: all zero).")
    var storage: String?

    @Option(help: "Fault with step_limit after this many steps.")
    var maxSteps: UInt64 = Interpreter.stepLimitDefault

    /// The program, its storage and its input, each checked against the program's header.
    func load() throws -> (Program, storage: [UInt32], input: [UInt32]) {
        let loaded = try ProgramFile.load(at: program)
        let storageValues = try FieldList.parse(storage, name: "--storage", count: loaded.storageCount)
        let inputValues = try FieldList.parse(input, name: "--input", count: loaded.inputCount)
        return (loaded, storageValues, inputValues)
    }
}
