import KeelCrypto

extension BlockHeader: CanonicalCodable {
    /// The size of every encoding: slot, proposer index and three roots.
    static let encodedByteCount = 8 + 8 + 3 * 32

    /// Writes `slot`, `proposerIndex`, `parentRoot`, `stateRoot`, `bodyRoot`.
    public func encode(to writer: inout ByteWriter) {
        writer.write(slot.rawValue)
        writer.write(proposerIndex.rawValue)
        writer.write(parentRoot)
        writer.write(stateRoot)
        writer.write(bodyRoot)
    }

    /// Reads `slot`, `proposerIndex`, `parentRoot`, `stateRoot`, `bodyRoot`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let slot = Slot(try reader.readUInt64("BlockHeader.slot"))
        let proposerIndex = ValidatorIndex(try reader.readUInt64("BlockHeader.proposerIndex"))
        let parentRoot = try reader.readHash32("BlockHeader.parentRoot")
        let stateRoot = try reader.readHash32("BlockHeader.stateRoot")
        let bodyRoot = try reader.readHash32("BlockHeader.bodyRoot")
        self.init(slot: slot, proposerIndex: proposerIndex, parentRoot: parentRoot, stateRoot: stateRoot, bodyRoot: bodyRoot)
    }
}

extension SignedBlockHeader: CanonicalCodable {
    /// The size of every encoding: the header, then the signature.
    static let encodedByteCount = BlockHeader.encodedByteCount + 64

    /// Writes `message`, then `signature`.
    public func encode(to writer: inout ByteWriter) {
        message.encode(to: &writer)
        writer.write(signature)
    }

    /// Reads `message`, then `signature`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let message = try BlockHeader(from: &reader)
        let signature = try reader.readSignature("SignedBlockHeader.signature")
        self.init(message: message, signature: signature)
    }
}
