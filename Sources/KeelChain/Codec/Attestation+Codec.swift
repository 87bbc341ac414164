import KeelCrypto

extension Attestation: CanonicalCodable {
    /// The size of every encoding: validator index, data, signature.
    static let encodedByteCount = 8 + AttestationData.encodedByteCount + 64

    /// Writes `validatorIndex`, `data`, `signature`.
    public func encode(to writer: inout ByteWriter) {
        writer.write(validatorIndex.rawValue)
        data.encode(to: &writer)
        writer.write(signature)
    }

    /// Reads `validatorIndex`, `data`, `signature`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let validatorIndex = ValidatorIndex(try reader.readUInt64("Attestation.validatorIndex"))
        let data = try AttestationData(from: &reader)
        let signature = try reader.readSignature("Attestation.signature")
        self.init(validatorIndex: validatorIndex, data: data, signature: signature)
    }
}
