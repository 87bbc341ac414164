import KeelCrypto

// The custom types (consensus-specs "Custom types") and the KeelCrypto values they build on:
// 64-bit wrappers as 8 bytes little-endian, 32-byte values as their raw bytes.

extension Slot: CanonicalCodable {
    /// Writes the slot as 8 bytes little-endian.
    public func encode(to writer: inout ByteWriter) { writer.write(rawValue) }

    /// Reads 8 bytes little-endian.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(try reader.readUInt64("Slot"))
    }
}

extension Epoch: CanonicalCodable {
    /// Writes the epoch as 8 bytes little-endian.
    public func encode(to writer: inout ByteWriter) { writer.write(rawValue) }

    /// Reads 8 bytes little-endian.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(try reader.readUInt64("Epoch"))
    }
}

extension ValidatorIndex: CanonicalCodable {
    /// Writes the index as 8 bytes little-endian.
    public func encode(to writer: inout ByteWriter) { writer.write(rawValue) }

    /// Reads 8 bytes little-endian.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(try reader.readUInt64("ValidatorIndex"))
    }
}

extension Stake: CanonicalCodable {
    /// Writes the amount as 8 bytes little-endian.
    public func encode(to writer: inout ByteWriter) { writer.write(rawValue) }

    /// Reads 8 bytes little-endian.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        self.init(try reader.readUInt64("Stake"))
    }
}

extension Address: CanonicalCodable {
    /// Writes the address as its 32 bytes.
    public func encode(to writer: inout ByteWriter) { writer.write(hash) }

    /// Reads 32 bytes; every 32 bytes are an address.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        self = try reader.readAddress("Address")
    }
}

extension Hash32: CanonicalCodable {
    /// Writes the 32 bytes as they are.
    public func encode(to writer: inout ByteWriter) { writer.write(self) }

    /// Reads 32 bytes; every 32 bytes are a `Hash32`.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        self = try reader.readHash32("Root")
    }
}

extension PublicKey: CanonicalCodable {
    /// Writes the 32-byte x-only serialization (BIP-340 `bytes(P)`).
    public func encode(to writer: inout ByteWriter) { writer.write(self) }

    /// Reads 32 bytes and parses them as an x-only key.
    ///
    /// - Throws: `truncated`, or ``DecodingError/invalidValue(field:reason:)`` if the bytes are
    ///   not a valid key, so no `PublicKey` value is ever invalid.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        self = try reader.readPublicKey("PublicKey")
    }
}

extension Signature: CanonicalCodable {
    /// Writes the 64 bytes `bytes(R) || bytes(s)`.
    public func encode(to writer: inout ByteWriter) { writer.write(self) }

    /// Reads 64 bytes; whether they verify is checked later, as BIP-340 specifies.
    public init(from reader: inout ByteReader) throws(DecodingError) {
        self = try reader.readSignature("Signature")
    }
}
