import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client for a node's JSON API: plain `http`; GET, POST of a JSON body, and
/// GET of an endless stream (server-sent events).
///
/// Written on SwiftNIO instead of AsyncHTTPClient because that package's BoringSSL build costs CI
/// minutes for TLS the light node does not use. One connection per request keeps it simple: no
/// pool, no keep-alive state to go stale, and a channel that is closed on every path before
/// ``get(_:)`` returns. The light node makes a few requests per slot, so the extra handshake on
/// loopback or a LAN does not matter.
///
/// - Important: Safe to share between tasks. Every request is bounded in time (``timeout`` covers
///   connecting and reading the whole response) and in memory (``responseBytesMax``).
public final class LightHTTPClient: Sendable {
    /// The node every request goes to.
    public let baseURL: NodeURL
    /// The longest a request may take, from connecting to the end of the response.
    public let timeout: Duration
    /// The largest response body accepted; a larger one fails with
    /// ``LightHTTPError/bodyTooLarge(path:bytesMax:)``.
    public let responseBytesMax: Int
    private let eventLoopGroup: any EventLoopGroup

    /// Creates a client; it opens no connection until the first request.
    ///
    /// - Parameters:
    ///   - baseURL: The node's API, for example `http://127.0.0.1:5052`.
    ///   - eventLoopGroup: A NIOPosix group to run the connections on; the shared singleton unless
    ///     told. The client does not shut it down.
    ///   - timeout: The bound on each request, connecting included; more than zero.
    ///   - responseBytesMax: The cap on each response body, in bytes; more than zero. 64 MiB by
    ///     default, well above the largest block or witness a node serves.
    public init(
        baseURL: NodeURL,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        timeout: Duration = .seconds(10),
        responseBytesMax: Int = 64 << 20
    ) {
        precondition(timeout > .zero, "a request needs some time")
        precondition(responseBytesMax > 0, "a body cap of zero would refuse every body")
        self.baseURL = baseURL
        self.eventLoopGroup = eventLoopGroup
        self.timeout = timeout
        self.responseBytesMax = responseBytesMax
    }

    /// Sends `GET baseURL.basePath + path` and reads the whole response, whatever its status.
    ///
    /// - Parameter path: The request path, starting with `/`, for example `/chain/head`; it may
    ///   carry a query. Percent-encoding is the caller's.
    /// - Returns: The status and the body.
    /// - Throws: ``LightHTTPError/cannotConnect(address:reason:)``,
    ///   ``LightHTTPError/timeout(address:path:timeout:)``,
    ///   ``LightHTTPError/bodyTooLarge(path:bytesMax:)``,
    ///   ``LightHTTPError/badResponse(address:path:reason:)``,
    ///   ``LightHTTPError/cancelled(path:)``, or ``LightHTTPError/malformedURL(_:reason:)`` for a
    ///   path that does not start with `/` or holds a space or control character.
    public func get(_ path: String) async throws(LightHTTPError) -> HTTPResponse {
        try await send(.GET, path, body: nil, onData: nil, bounded: true)
    }

    /// Sends `POST baseURL.basePath + path` with a JSON body and reads the whole response,
    /// whatever its status; bounded as ``get(_:)``.
    public func post(_ path: String, json: [UInt8]) async throws(LightHTTPError) -> HTTPResponse {
        try await send(.POST, path, body: json, onData: nil, bounded: true)
    }

    /// Sends `DELETE baseURL.basePath + path` and reads the whole response; bounded as ``get(_:)``.
    public func delete(_ path: String) async throws(LightHTTPError) -> HTTPResponse {
        try await send(.DELETE, path, body: nil, onData: nil, bounded: true)
    }

    /// Sends `GET baseURL.basePath + path` and hands each part of a 2xx body to `onData` as it
    /// arrives, until the node ends the response or the calling task is cancelled. Only the
    /// connecting is bounded in time; nothing of a 2xx body is kept. A non-2xx answer is read
    /// whole (bounded) and returned with its body.
    ///
    /// - Returns: The response: a 2xx status with an empty body once the stream ends, or the
    ///   error answer.
    public func stream(_ path: String, onData: @escaping @Sendable ([UInt8]) -> Void) async throws(LightHTTPError) -> HTTPResponse {
        try await send(.GET, path, body: nil, onData: onData, bounded: false)
    }

    private func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]?, onData: (@Sendable ([UInt8]) -> Void)?, bounded: Bool
    ) async throws(LightHTTPError) -> HTTPResponse {
        let request = try requestHead(method, path, bodyBytes: body?.count)
        if Task.isCancelled { throw .cancelled(path: path) }
        let address = baseURL.description
        let eventLoop = eventLoopGroup.next()
        let promise = eventLoop.makePromise(of: HTTPResponse.self)
        let channel: any Channel
        do {
            channel = try await connect(on: eventLoop, request: request, body: body, onData: onData, promise: promise, path: path).get()
        } catch {
            let failure = connectFailure(error, path: path)
            promise.fail(failure)  // The handler may never have been added; the promise must not leak.
            throw failure
        }
        let deadlineTask = bounded
            ? channel.eventLoop.scheduleTask(deadline: NIODeadline.now() + TimeAmount(timeout)) {
                promise.fail(LightHTTPError.timeout(address: address, path: path, timeout: self.timeout))
                channel.close(promise: nil)
            } : nil
        let outcome: Result<HTTPResponse, any Error>
        do {
            outcome = .success(
                try await withTaskCancellationHandler {
                    try await promise.futureResult.get()
                } onCancel: {
                    promise.fail(LightHTTPError.cancelled(path: path))
                }
            )
        } catch {
            outcome = .failure(error)
        }
        deadlineTask?.cancel()
        try? await channel.close().get()  // Already closed on most paths; this makes it certain.
        switch outcome {
        case .success(let response):
            return response
        case .failure(let error as LightHTTPError):
            throw error
        case .failure(let error):
            throw .badResponse(address: address, path: path, reason: "\(error)")
        }
    }

    /// Opens a connection whose pipeline sends the request as soon as it is up.
    private func connect(
        on eventLoop: any EventLoop, request: HTTPRequestHead, body: [UInt8]?, onData: (@Sendable ([UInt8]) -> Void)?,
        promise: EventLoopPromise<HTTPResponse>, path: String
    ) -> EventLoopFuture<any Channel> {
        let bytesMax = responseBytesMax
        let address = baseURL.description
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(timeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(
                        HTTPResponseCollector(
                            request: request, body: body, onData: onData, promise: promise, bytesMax: bytesMax, address: address,
                            path: path)
                    )
                }
            }
            .connect(host: baseURL.host, port: baseURL.port)
    }

    /// The request head: base path plus `path`, with `Connection: close` since each request has
    /// its own connection.
    private func requestHead(_ method: HTTPMethod, _ path: String, bodyBytes: Int?) throws(LightHTTPError) -> HTTPRequestHead {
        guard path.hasPrefix("/") else { throw .malformedURL(path, reason: "a request path starts with /") }
        guard !path.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            throw .malformedURL(path, reason: "the path contains a space or a control character")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(baseURL.hostInURL):\(baseURL.port)")
        headers.add(name: "Accept", value: "application/json, text/event-stream")
        headers.add(name: "User-Agent", value: "keel")
        headers.add(name: "Connection", value: "close")
        if let bodyBytes {
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(bodyBytes))
        }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: baseURL.basePath + path, headers: headers)
        precondition(head.uri.hasPrefix("/"), "a request target is an absolute path")
        return head
    }

    private func connectFailure(_ error: any Error, path: String) -> LightHTTPError {
        if case ChannelError.connectTimeout = error {
            return .timeout(address: baseURL.description, path: path, timeout: timeout)
        }
        return .cannotConnect(address: baseURL.description, reason: SocketFailure.reason(connecting: error, host: baseURL.host))
    }
}
