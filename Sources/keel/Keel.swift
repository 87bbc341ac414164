import ArgumentParser
import Foundation

/// The `keel` command line: a tree of subcommands, one file each (`Keel+Name.swift`).
struct Keel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keel",
        abstract: "Keel: a proof-of-stake chain prototype with a four-instruction register VM.",
        subcommands: [VM.self, Tool.self, Sim.self, Genesis.self, ValidatorCommand.self, Node.self, Testnet.self, Tx.self, Light.self, Bench.self]
    )
}

/// Entry point. Every usage error (bad flags, an unreadable or invalid program, input of the
/// wrong length) ends with a one-line message on standard error and exit status 2, as
/// spec/VM.md section 8 requires; `--help` and normal results exit 0.
@main
enum KeelMain {
    static func main() {
        do {
            var command = try Keel.parseAsRoot()
            try command.run()
        } catch let error as UsageError {
            exitWithUsageError(error.message)
        } catch {
            let code = Keel.exitCode(for: error)
            guard code == .validationFailure else { Keel.exit(withError: error) }
            let message = Keel.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            exitWithUsageError("\(message) (see 'keel help')")
        }
    }

    static func exitWithUsageError(_ message: String) -> Never {
        FileHandle.standardError.write(Data("keel: error: \(message)\n".utf8))
        exit(2)
    }
}

/// A usage error raised while running a command: reported as one line, exit status 2.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
