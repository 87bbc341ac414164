import NIOCore
import NIOHTTP1

/// Sends one request when the connection opens and gathers the response into an
/// ``HTTPResponse``, or, for a stream (``LightHTTPClient/stream(_:onData:)``), hands each part
/// of a 2xx body to a callback as it arrives and keeps none of it.
///
/// NIOHTTP1's decoder, just before this handler, undoes content-length, chunked and
/// read-until-close framing, so this handler only sees a head, body parts and an end. It owns the
/// body cap: a body is refused as soon as its declared length, or the bytes seen so far, pass
/// `bytesMax`, so a hostile node cannot make the light node buffer without bound.
///
/// - Important: Event-loop bound, like every channel handler. The promise is completed exactly
///   once (later completions are ignored by NIO, and ``finish(_:)`` guards anyway), and it is
///   always completed by the time the handler leaves the pipeline, so it never leaks.
final class HTTPResponseCollector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let request: HTTPRequestHead
    private let requestBody: [UInt8]?
    private let onData: (@Sendable ([UInt8]) -> Void)?
    private let promise: EventLoopPromise<HTTPResponse>
    private let bytesMax: Int
    /// The node's address and the caller's path, for error messages.
    private let address: String
    private let path: String

    private var status: Int?
    private var body: [UInt8] = []
    private var finished = false

    init(
        request: HTTPRequestHead, body requestBody: [UInt8]? = nil, onData: (@Sendable ([UInt8]) -> Void)? = nil,
        promise: EventLoopPromise<HTTPResponse>, bytesMax: Int, address: String, path: String
    ) {
        precondition(bytesMax > 0, "a body cap of zero would refuse every body")
        precondition([.GET, .POST, .DELETE].contains(request.method), "a client reads, posts a body, or deletes")
        precondition((request.method == .POST) == (requestBody != nil), "a POST, and only a POST, carries a body")
        self.request = request
        self.requestBody = requestBody
        self.onData = onData
        self.promise = promise
        self.bytesMax = bytesMax
        self.address = address
        self.path = path
    }

    func channelActive(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(request)), promise: nil)
        if let requestBody {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: requestBody)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !finished else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            precondition(status == nil, "NIOHTTP1 delivers one head per response")
            status = Int(head.status.code)
            if let declared = head.headers.first(name: "content-length").flatMap({ Int($0) }) {
                guard declared <= bytesMax else { return refuseLargeBody(context: context) }
                body.reserveCapacity(declared)
            }
        case .body(let buffer):
            if let onData, let status, (200...299).contains(status) { return onData(Array(buffer.readableBytesView)) }
            precondition(body.count <= bytesMax, "the body never grows past its cap")
            guard buffer.readableBytes <= bytesMax - body.count else { return refuseLargeBody(context: context) }
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let status, (100...599).contains(status) else {
                return fail(context: context, reason: "the response has no valid status line")
            }
            finish(.success(HTTPResponse(status: status, body: body)))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context: context, reason: Self.describe(error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(badResponse("the node closed the connection before the response ended")))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        finish(.failure(badResponse("the connection closed before the response ended")))
    }

    private func refuseLargeBody(context: ChannelHandlerContext) {
        finish(.failure(LightHTTPError.bodyTooLarge(path: path, bytesMax: bytesMax)))
        body = []
        context.close(promise: nil)
    }

    private func fail(context: ChannelHandlerContext, reason: String) {
        finish(.failure(badResponse(reason)))
        context.close(promise: nil)
    }

    private func finish(_ result: Result<HTTPResponse, LightHTTPError>) {
        guard !finished else { return }
        finished = true
        promise.completeWith(result.mapError { $0 as any Error })
    }

    private func badResponse(_ reason: String) -> LightHTTPError {
        .badResponse(address: address, path: path, reason: reason)
    }

    /// A short reason for a failure mid-response; errno values get words, not numbers.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? IOError { return SocketFailure.reason(errno: error.errnoCode) }
        if error is HTTPParserError { return "not a valid HTTP/1.1 response (\(error))" }
        return "\(error)"
    }
}
