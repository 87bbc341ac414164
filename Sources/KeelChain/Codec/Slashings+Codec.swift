import KeelCrypto

extension ProposerSlashing: CanonicalCodable {
    /// The size of every encoding: two signed headers.
    static let encodedByteCount = 2 * SignedBlockHeader.encodedByteCount

    /// Writes `signedHeader1`, then `signedHeader2`.
    public func encode(to writer: inout ByteWriter) {
        signedHeader1.encode(to: &writer)
        signedHeader2.encode(to: &writer)
    }

    /// Reads `signedHeader1`, then `signedHeader2`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let signedHeader1 = try SignedBlockHeader(from: &reader)
        let signedHeader2 = try SignedBlockHeader(from: &reader)
        self.init(signedHeader1: signedHeader1, signedHeader2: signedHeader2)
    }
}

extension AttesterSlashing: CanonicalCodable {
    /// The size of every encoding: two attestations.
    static let encodedByteCount = 2 * Attestation.encodedByteCount

    /// Writes `attestation1`, then `attestation2`.
    public func encode(to writer: inout ByteWriter) {
        attestation1.encode(to: &writer)
        attestation2.encode(to: &writer)
    }

    /// Reads `attestation1`, then `attestation2`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        let attestation1 = try Attestation(from: &reader)
        let attestation2 = try Attestation(from: &reader)
        self.init(attestation1: attestation1, attestation2: attestation2)
    }
}
