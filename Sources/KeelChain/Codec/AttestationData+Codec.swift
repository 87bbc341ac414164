import KeelCrypto

extension AttestationData: CanonicalCodable {
    /// The size of every encoding: slot, head root, source, target.
    static let encodedByteCount = 8 + 32 + 2 * Checkpoint.encodedByteCount

    /// Writes `slot`, `beaconBlockRoot`, `source`, `target`.
    public func encode(to writer: inout ByteWriter) {
        writer.write(slot.rawValue)
        writer.write(beaconBlockRoot)
        source.encode(to: &writer)
        target.encode(to: &writer)
    }

    /// Reads `slot`, `beaconBlockRoot`, `source`, `target`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let slot = Slot(try reader.readUInt64("AttestationData.slot"))
        let beaconBlockRoot = try reader.readHash32("AttestationData.beaconBlockRoot")
        let source = try Checkpoint(from: &reader)
        let target = try Checkpoint(from: &reader)
        self.init(slot: slot, beaconBlockRoot: beaconBlockRoot, source: source, target: target)
    }
}
