import KeelChain

/// Why bytes from a peer are not a valid frame. Each is fatal to the connection: the peer is
/// scored down to the floor and dropped, since a byte stream that lost its framing cannot be
/// resynchronised.
public enum FrameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The length prefix announced `byteCount` bytes, more than `byteCountMax` (rejected from the
    /// prefix alone, before the frame is buffered).
    case frameTooLarge(byteCount: UInt32, byteCountMax: UInt32)
    /// The length prefix was 0: a frame holds at least its version byte.
    case emptyFrame
    /// The frame's version byte names a protocol version this node does not speak.
    case unsupportedVersion(UInt8)
    /// The payload is not the canonical encoding of a ``WireMessage``.
    case malformedPayload(DecodingError)
    /// The connection ended in the middle of a frame, with `byteCount` bytes of it received.
    case truncatedFrame(byteCount: Int)

    /// One readable line naming what went wrong.
    public var description: String {
        switch self {
        case .frameTooLarge(let byteCount, let byteCountMax):
            "frame of \(byteCount) bytes is over the limit of \(byteCountMax)"
        case .emptyFrame:
            "empty frame"
        case .unsupportedVersion(let version):
            "unsupported frame version \(version)"
        case .malformedPayload(let error):
            "malformed payload: \(error)"
        case .truncatedFrame(let byteCount):
            "connection ended inside a frame after \(byteCount) bytes"
        }
    }
}
