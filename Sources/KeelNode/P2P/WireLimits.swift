/// The named bounds of the peer-to-peer protocol (STYLE 13): every list a peer can send, every
/// frame, every queue and table has a maximum here.
///
/// The decoders check the wire limits before allocating, so a peer cannot make the node reserve
/// more memory than the bytes it actually sent; the queue limits keep a slow or silent peer from
/// growing the node's memory.
public enum WireLimits {
    /// The wire protocol version carried in every frame header and in ``Hello``.
    public static let protocolVersion: UInt8 = 1
    /// The largest frame, counted after the 4-byte length prefix (the version byte and the
    /// payload): 10 MiB, the gossip size bound of Ethereum's consensus networking. A block that
    /// does not fit cannot travel; block production stays far below it.
    public static let frameByteCountMax: UInt32 = 10 * 1024 * 1024
    /// The bytes before a frame's payload: the `u32` length and the `u8` version.
    public static let frameHeaderByteCount = 5
    /// The most blocks one `blocksResponse` may carry, and so the most a range request may ask for.
    public static let responseBlockCountMax: UInt64 = 64
    /// The most roots one `blocksByRootRequest` may carry.
    public static let requestRootCountMax: UInt64 = 64
    /// The longest goodbye or penalty text a peer may send.
    public static let reasonByteCountMax: UInt64 = 256
}
