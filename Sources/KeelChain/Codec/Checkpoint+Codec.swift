import KeelCrypto

extension Checkpoint: CanonicalCodable {
    /// The size of every encoding: epoch (8) then root (32).
    static let encodedByteCount = 8 + 32

    /// Writes `epoch` (8 bytes little-endian) then `root` (32 bytes).
    public func encode(to writer: inout ByteWriter) {
        writer.write(epoch.rawValue)
        writer.write(root)
    }

    /// Reads `epoch` then `root`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let epoch = Epoch(try reader.readUInt64("Checkpoint.epoch"))
        let root = try reader.readHash32("Checkpoint.root")
        self.init(epoch: epoch, root: root)
    }
}
