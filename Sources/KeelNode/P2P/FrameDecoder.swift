import KeelChain
import NIOCore

/// Splits a peer's byte stream into frames and decodes each frame's payload.
///
/// A frame is a `u32` little-endian length, then that many bytes: a `u8` protocol version and
/// the payload (a ``WireMessage`` encoding). The length is checked against
/// `frameByteCountMax` as soon as its 4 bytes arrive, so an oversize frame is rejected before
/// any of it is buffered.
///
/// - Important: Errors are ``FrameError``s; the connection handler turns each into a score
///   penalty and a disconnect. After an error the decoder is not used again.
public struct FrameDecoder: ByteToMessageDecoder, Sendable {
    /// The decoded message type.
    public typealias InboundOut = WireMessage

    /// The largest frame accepted, counted after the length prefix.
    public let frameByteCountMax: UInt32

    /// Creates a decoder.
    ///
    /// - Parameter frameByteCountMax: The largest frame accepted (at least 1).
    public init(frameByteCountMax: UInt32 = WireLimits.frameByteCountMax) {
        precondition(frameByteCountMax >= 1, "a frame holds at least its version byte")
        self.frameByteCountMax = frameByteCountMax
    }

    /// Reads one frame from the front of `buffer` if it is complete.
    ///
    /// - Parameter buffer: Received bytes; a complete frame is consumed, a partial one is left.
    /// - Returns: The decoded message, or `nil` if more bytes are needed.
    /// - Throws: ``FrameError`` if the frame is oversize, empty, of an unknown version, or its
    ///   payload does not decode.
    public func readFrame(from buffer: inout ByteBuffer) throws(FrameError) -> WireMessage? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .little, as: UInt32.self) else {
            return nil
        }
        guard length <= frameByteCountMax else {
            throw .frameTooLarge(byteCount: length, byteCountMax: frameByteCountMax)
        }
        guard length >= 1 else {
            throw .emptyFrame
        }
        guard let version = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt8.self) else {
            return nil
        }
        guard version == WireLimits.protocolVersion else {
            throw .unsupportedVersion(version)
        }
        guard buffer.readableBytes >= 4 + Int(length) else {
            return nil
        }
        buffer.moveReaderIndex(forwardBy: 5)
        let payloadByteCount = Int(length) - 1
        let payload = buffer.readBytes(length: payloadByteCount)
        precondition(payload != nil, "the frame's bytes were checked to be readable")
        do {
            return try WireMessage(decoding: payload ?? [])
        } catch {
            throw .malformedPayload(error)
        }
    }

    /// `ByteToMessageDecoder`: decodes one frame if it is complete.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = try readFrame(from: &buffer) else {
            return .needMoreData
        }
        context.fireChannelRead(wrapInboundOut(message))
        return .continue
    }

    /// `ByteToMessageDecoder`: decodes what is complete at the end of the stream; a partial
    /// frame left over is reported as ``FrameError/truncatedFrame(byteCount:)``.
    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let byteCount = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: byteCount)
            throw FrameError.truncatedFrame(byteCount: byteCount)
        }
        return .needMoreData
    }
}
