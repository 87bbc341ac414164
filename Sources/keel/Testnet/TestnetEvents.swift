import ArgumentParser
import Foundation
import KeelConsensus
import KeelLight
import Synchronization

/// `keel testnet events [--node K]`: a node's event stream, one line per event.
struct TestnetEvents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print a node's live events (GET /events), one line each: the topic, then its JSON. Ctrl-C stops.")

    @OptionGroup var options: TestnetDirectoryOption

    @Option(help: "The node whose events to follow.")
    var node: Int = 0

    @Option(help: "Comma-separated topics (default: all): \(ChainEventTopic.allCases.map(\.rawValue).joined(separator: ", ")).")
    var topics: String = ChainEventTopic.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Stop after this many events (0: never).")
    var count: Int = 0

    func validate() throws {
        for name in topics.split(separator: ",", omittingEmptySubsequences: false) where ChainEventTopic(rawValue: String(name)) == nil {
            throw ValidationError("--topics: unknown topic '\(name)'")
        }
        guard count >= 0 else { throw ValidationError("--count: \(count) is negative") }
    }

    func run() throws {
        let processes = try options.processes()
        let target = try processes.manifest.node(node)
        let client = LightHTTPClient(baseURL: try NodeURL("http://\(processes.manifest.host):\(target.apiPort)"))
        let (path, countMax) = ("/events?topics=\(topics)", count)
        let printer = EventLinePrinter(countMax: countMax)
        let response: HTTPResponse = try blockingAwait {
            let streaming = Task {
                defer { printer.finished() }
                return try await client.stream(path) { bytes in if printer.feed(bytes) { printer.finished() } }
            }
            return try await withTaskCancellationHandler {
                try await printer.waitOrStream(streaming)
            } onCancel: {
                streaming.cancel()
            }
        }
        guard response.isSuccess else { throw UsageError("node \(node): \(LightHTTPClient.errorMessage(response))") }
        if countMax == 0 { throw UsageError("node \(node) ended its event stream") }
    }
}

/// Splits a server-sent event stream into events and prints each as `TOPIC JSON`; comments
/// (keep-alives) are skipped. Thread-safe: NIO delivers the bytes on its event loop.
final class EventLinePrinter: Sendable {
    private struct State {
        var reader = ServerSentEventReader()
        var printed = 0
        var done: CheckedContinuation<Void, Never>?
        var isDone = false
    }

    private let state = Mutex(State())
    let countMax: Int

    init(countMax: Int) { self.countMax = countMax }

    /// Feeds bytes; returns true once `countMax` events were printed.
    func feed(_ bytes: [UInt8]) -> Bool {
        state.withLock { state in
            for (event, data) in state.reader.feed(bytes) {
                FileHandle.standardOutput.write(Data("\(event) \(data)\n".utf8))
                state.printed += 1
            }
            return countMax > 0 && state.printed >= countMax
        }
    }

    func finished() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.isDone = true
            defer { state.done = nil }
            return state.done
        }
        continuation?.resume()
    }

    /// Waits for the stream to end, or for `countMax` events (then cancels the stream).
    func waitOrStream(_ streaming: Task<HTTPResponse, any Error>) async throws -> HTTPResponse {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state in
                if state.isDone { return true }
                state.done = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        streaming.cancel()
        let result = await streaming.result
        if countMax > 0, state.withLock({ $0.printed >= countMax }) { return HTTPResponse(status: 200, body: []) }
        return try result.get()
    }
}
