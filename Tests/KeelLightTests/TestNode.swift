import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny HTTP/1.1 server on 127.0.0.1 standing in for a node: each path gives one kind of
/// answer (content-length, chunked, an API error, an oversized body, none at all), so each test
/// meets exactly the case it checks. NIO rather than Hummingbird because KeelLightTests does not
/// depend on Hummingbird.
struct TestNode {
    /// A JSON body in the node's style (snake_case keys).
    static let headJSON = #"{"head_slot":7,"root":"ab"}"#
    /// The pieces of the chunked answer, sent as separate chunks.
    static let chunks = ["{\"head_slot\":", "8,", "\"root\":\"cd\"}"]
    /// The client cap the oversized answers are measured against.
    static let bytesMax = 1024

    let channel: any Channel
    var port: Int { channel.localAddress!.port! }

    static func start() async throws -> TestNode {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(TestNodeHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestNode(channel: channel)
    }

    func stop() async throws {
        try await channel.close().get()
    }

    /// A port with nothing listening: bound once, then closed.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close().get()
        return port
    }
}

/// Answers by request path; see ``TestNode``.
private final class TestNodeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else { return }
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: TestNode.bytesMax * 4)
        switch head.uri {
        case "/json":
            send(context, .ok, Array(TestNode.headJSON.utf8))
        case "/chunked":
            sendChunked(context, .ok, TestNode.chunks.map { Array($0.utf8) })
        case "/missing":
            send(context, .notFound, Array(#"{"error":"no block"}"#.utf8))
        case "/plain-error":
            send(context, .internalServerError, Array("boom\n".utf8))
        case "/empty-error":
            send(context, .serviceUnavailable, [])
        case "/not-json":
            send(context, .ok, Array("hello".utf8))
        case "/big":
            send(context, .ok, big)
        case "/big-chunked":
            sendChunked(context, .ok, stride(from: 0, to: big.count, by: 256).map { Array(big[$0..<$0 + 256]) })
        case "/cut-short":
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "100")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: Array("short".utf8))))), promise: nil)
            context.close(promise: nil)
        case "/hang":
            return
        default:
            // Echoes the request target and Host header, for the base-path test.
            send(context, .ok, Array("\(head.uri) \(head.headers.first(name: "host") ?? "")".utf8))
        }
    }

    private func send(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ body: [UInt8]) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(body.count)")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    private func sendChunked(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ chunks: [[UInt8]]) {
        var headers = HTTPHeaders()
        headers.add(name: "Transfer-Encoding", value: "chunked")
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        for chunk in chunks {
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: chunk)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
