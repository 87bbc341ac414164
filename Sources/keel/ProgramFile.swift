import Foundation
import KeelVM

/// Reading and writing program files for the command line; every failure is a `UsageError`
/// naming the file and the reason.
enum ProgramFile {
    static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw UsageError("cannot read \(path): \(Self.reason(error))")
        }
    }

    static func assemble(at path: String) throws -> Program {
        let data = try read(path)
        guard let text = String(data: data, encoding: .utf8) else { throw UsageError("\(path): not UTF-8 text") }
        do {
            return try Assembler.assemble(text)
        } catch {
            throw UsageError("\(path): \(error)")
        }
    }

    static func decode(at path: String) throws -> Program {
        let data = try read(path)
        do {
            return try Program(decoding: data)
        } catch {
            throw UsageError("\(path): invalid program: \(error)")
        }
    }

    /// `.kasm` is assembled; anything else is decoded as `.kvm`.
    static func load(at path: String) throws -> Program {
        path.hasSuffix(".kasm") ? try assemble(at: path) : try decode(at: path)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw UsageError("cannot write \(path): \(Self.reason(error))")
        }
    }

    static func replacingExtension(of path: String, with newExtension: String) -> String {
        URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension(newExtension).path
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue))
        }
        return nsError.localizedDescription
    }
}

/// Comma-separated field values given on the command line.
enum FieldList {
    static func parse(_ text: String?, name: String, count: UInt32) throws -> [UInt32] {
        guard let text else { return Array(repeating: 0, count: Int(count)) }
        let items = text.isEmpty ? [] : text.split(separator: ",", omittingEmptySubsequences: false)
        let values = try items.map { item -> UInt32 in
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            guard let value = UInt32(trimmed), value < KoalaBear.p else {
                throw UsageError("\(name): '\(trimmed)' is not a decimal value in [0, \(KoalaBear.p))")
            }
            return value
        }
        guard values.count == Int(count) else {
            throw UsageError("\(name): the program takes exactly \(count) values, got \(values.count)")
        }
        return values
    }
}

/// The two result formats of `keel vm run` (spec/VM.md section 8).
enum ResultFormat {
    static func json(_ result: ExecutionResult) -> String {
        switch result.status {
        case .halted:
            let output = result.output.map(String.init).joined(separator: ",")
            let storage = result.storage.map(String.init).joined(separator: ",")
            return #"{"status":"halted","steps":\#(result.steps),"pc":\#(result.pc),"output":[\#(output)],"storage":[\#(storage)]}"#
        case let .fault(fault):
            return #"{"status":"fault","fault":"\#(fault.rawValue)","steps":\#(result.steps),"pc":\#(result.pc)}"#
        }
    }

    static func text(_ result: ExecutionResult) -> String {
        switch result.status {
        case .halted:
            return """
                halted after \(result.steps) steps at pc \(result.pc)
                output:  \(result.output.map(String.init).joined(separator: ", "))
                storage: \(result.storage.map(String.init).joined(separator: ", "))
                """
        case let .fault(fault):
            return "fault \(fault.rawValue) at pc \(result.pc) after \(result.steps) steps"
        }
    }
}
