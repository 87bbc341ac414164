import Foundation
#if canImport(Glibc)
import Glibc
#endif
import XCTest

/// A unique temporary directory per test, removed afterwards.
final class TemporaryDirectory {
    let url: URL

    init(_ prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Runs `body` in a forked child that reports progress numbers through a pipe, kills it with
/// SIGKILL after `milliseconds`, and returns every number it reported.
///
/// The child writes a number only after the write it stands for has committed, so the parent
/// learns which writes must survive. The child never returns to XCTest: it ends with `_exit`.
/// If it stalls (a lock held by another thread at `fork`), it reports fewer numbers; it is
/// killed all the same, so the test never hangs.
func runKilledChild(afterMilliseconds milliseconds: UInt32, _ body: (_ report: (UInt64) -> Void) -> Void) -> [UInt64] {
    var fds: [Int32] = [0, 0]
    precondition(pipe(&fds) == 0, "pipe")
    let child = fork()
    precondition(child >= 0, "fork")
    if child == 0 {
        close(fds[0])
        body { value in
            var bytes = value.littleEndian
            _ = withUnsafeBytes(of: &bytes) { write(fds[1], $0.baseAddress, 8) }
        }
        _exit(0)
    }
    close(fds[1])
    usleep(milliseconds * 1000)
    kill(child, SIGKILL)
    var status: Int32 = 0
    waitpid(child, &status, 0)
    var reported: [UInt64] = []
    var buffer = [UInt8](repeating: 0, count: 8)
    while read(fds[0], &buffer, 8) == 8 {
        reported.append(buffer.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    }
    close(fds[0])
    return reported
}
