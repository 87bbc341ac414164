import NIOCore

/// Feeds a byte stream to a ``FrameDecoder`` piece by piece, outside any channel: for tests,
/// fuzzers and tools that hold bytes rather than a socket.
///
/// It runs the same ``FrameDecoder/readFrame(from:)`` as a connection's pipeline, so what it
/// accepts and rejects is exactly what a peer's socket accepts and rejects.
public struct FrameAccumulator: Sendable {
    private let decoder: FrameDecoder
    private var buffer: ByteBuffer
    /// The most frames one ``append(_:)`` returns (a bound on its loop, STYLE 13): each frame is
    /// at least 6 bytes, so this is never the binding limit for one network read.
    public static let framesPerAppendMax = 1 << 20

    /// Creates an accumulator.
    ///
    /// - Parameter frameByteCountMax: The largest frame accepted.
    public init(frameByteCountMax: UInt32 = WireLimits.frameByteCountMax) {
        self.decoder = FrameDecoder(frameByteCountMax: frameByteCountMax)
        self.buffer = ByteBufferAllocator().buffer(capacity: 0)
    }

    /// The bytes received but not yet part of a complete frame.
    public var bufferedByteCount: Int { buffer.readableBytes }

    /// Appends bytes and decodes every frame they complete.
    ///
    /// - Parameter bytes: The next bytes of the stream.
    /// - Returns: The messages of the frames completed, in order.
    /// - Throws: ``FrameError`` for the first bad frame; the accumulator must not be used after.
    public mutating func append(_ bytes: some Collection<UInt8>) throws(FrameError) -> [WireMessage] {
        buffer.writeBytes(bytes)
        var messages: [WireMessage] = []
        while messages.count < Self.framesPerAppendMax, let message = try decoder.readFrame(from: &buffer) {
            messages.append(message)
        }
        buffer.discardReadBytes()
        return messages
    }
}
