import KeelChain
import Logging

extension Node {
    /// The longest ``lastError`` kept, so one huge reason cannot bloat every status file.
    static let lastErrorCharacterCountMax = 300

    /// Logs a warning or an error and keeps it as ``lastError``, which the status file shows
    /// (`keel testnet`'s "last error" column).
    ///
    /// - Parameters:
    ///   - level: `.warning` or `.error`.
    ///   - message: What went wrong, as logged.
    ///   - metadata: The details, logged as they are and appended to ``lastError`` sorted by key.
    func logProblem(_ level: Logger.Level, _ message: String, metadata: Logger.Metadata = [:]) {
        precondition(level >= .warning, "only warnings and errors are problems")
        logger.log(level: level, "\(message)", metadata: metadata)
        let details = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = details.isEmpty ? message : message + " " + details
        lastError = String(text.prefix(Self.lastErrorCharacterCountMax))
        precondition(lastError?.isEmpty == false, "a problem has a message")
    }

    /// Records the head slot and the checkpoints in ``metrics`` (after an import and each tick).
    func recordChainMetrics() {
        metrics.setHeadSlot(head.slot)
        metrics.setCheckpoints(justified: core.store.justifiedCheckpoint, finalized: core.store.finalizedCheckpoint)
    }

    /// Records the connected peers in ``metrics`` (on each connect and disconnect).
    func recordPeerMetrics() {
        metrics.setPeerCount(core.peers.count)
    }

    /// Notes that the HTTP API listens on `host:port`: logs the address and shows the port in
    /// the status file.
    ///
    /// - Parameters:
    ///   - host: The address the API is bound to.
    ///   - port: The bound port (the real one when port 0 was asked for).
    public func apiStarted(host: String, port: Int) {
        precondition((1...65_535).contains(port), "a bound port is 1...65535")
        precondition(apiPort == nil, "one API server per node")
        apiPort = port
        logger.info("API listening", metadata: ["address": "\(host):\(port)"])
    }
}
