import Foundation

/// `openssl speed -evp sha256`, run as a child process: the SHA-256 limit.
///
/// The machine-readable form (`-mr`) prints `+F:<n>:sha256:<bytes per second>`; by default
/// `openssl speed` divides by the CPU user time of its loop (not wall time), which matches the
/// thread CPU time LimitsBench uses for its own side.
enum OpenSSLSpeed {
    /// Bytes per second of SHA-256 on `size`-byte inputs, or nil if openssl failed.
    ///
    /// - Parameters:
    ///   - size: Input size in bytes (`-bytes`).
    ///   - seconds: Length of the run (`-seconds`, at least 1).
    ///   - cpu: The CPU to pin the child to with `taskset`, or nil for none.
    static func sha256(size: Int, seconds: Int, cpu: Int?) -> Double? {
        precondition(size > 0 && seconds > 0, "a positive size and duration")
        var arguments = ["openssl", "speed", "-mr", "-evp", "sha256", "-bytes", String(size), "-seconds", String(seconds)]
        if let cpu { arguments = ["taskset", "-c", String(cpu)] + arguments }
        guard let output = run(arguments) else { return nil }
        for line in output.split(separator: "\n") where line.hasPrefix("+F:") {
            let fields = line.split(separator: ":")
            if fields.count == 4, let rate = Double(fields[3]), rate > 0 { return rate }
        }
        return nil
    }

    /// Runs a command found on PATH; its stdout (stderr discarded), or nil if it failed.
    static func run(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
