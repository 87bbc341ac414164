import KeelChain
import NIOCore

/// Writes messages as frames: a `u32` little-endian length, the `u8` protocol version, then the
/// message's canonical encoding.
public struct FrameEncoder: MessageToByteEncoder {
    /// The message type written.
    public typealias OutboundIn = WireMessage

    /// Creates an encoder.
    public init() {}

    /// `MessageToByteEncoder`: writes `data` as one frame.
    public func encode(data: WireMessage, out: inout ByteBuffer) throws {
        Self.writeFrame(data, to: &out)
    }

    /// Appends `message` as one frame to `buffer`.
    ///
    /// - Parameters:
    ///   - message: The message.
    ///   - buffer: The buffer to append to.
    public static func writeFrame(_ message: WireMessage, to buffer: inout ByteBuffer) {
        writeFrame(payload: message.encoded, to: &buffer)
    }

    /// Appends a frame around an already encoded payload.
    ///
    /// - Parameters:
    ///   - payload: A message encoding (not checked, so tests can frame garbage).
    ///   - version: The version byte, ``WireLimits/protocolVersion`` unless testing.
    ///   - buffer: The buffer to append to.
    public static func writeFrame(
        payload: [UInt8], version: UInt8 = WireLimits.protocolVersion, to buffer: inout ByteBuffer
    ) {
        precondition(UInt64(payload.count) < UInt64(UInt32.max), "a payload must fit a u32 length")
        let start = buffer.writerIndex
        buffer.writeInteger(UInt32(payload.count + 1), endianness: .little)
        buffer.writeInteger(version)
        buffer.writeBytes(payload)
        assert(buffer.writerIndex - start == WireLimits.frameHeaderByteCount + payload.count, "a whole frame")
    }

    /// One message as one frame, in a new buffer.
    ///
    /// - Parameter message: The message.
    /// - Returns: The frame's bytes.
    public static func frame(_ message: WireMessage) -> ByteBuffer {
        let payload = message.encoded
        var buffer = ByteBufferAllocator().buffer(capacity: WireLimits.frameHeaderByteCount + payload.count)
        writeFrame(payload: payload, to: &buffer)
        return buffer
    }
}
