import KeelChain

/// A proof of a ``TransitionClaim`` in some proof system: opaque bytes that only the system
/// named by `system` can check.
public struct TransitionProof: Hashable, Sendable, CanonicalCodable {
    /// The proof system that made it, e.g. ``StubSignedClaimProofSystem/systemID``.
    public var system: String
    public var bytes: [UInt8]

    /// The longest system name and the largest proof this build decodes (a zk proof of a few
    /// hundred kilobytes fits).
    public static let systemByteCountMax: UInt64 = 64
    public static let proofByteCountMax: UInt64 = 16 << 20

    public init(system: String, bytes: [UInt8]) {
        self.system = system
        self.bytes = bytes
    }

    public func encode(to writer: inout ByteWriter) {
        writer.writeLengthPrefixed(Array(system.utf8))
        writer.writeLengthPrefixed(bytes)
    }

    public init(from reader: inout ByteReader) throws(DecodingError) {
        let name = try reader.readLengthPrefixedBytes("TransitionProof.system", limit: Self.systemByteCountMax)
        guard let system = String(validating: name, as: UTF8.self) else {
            throw .invalidValue(field: "TransitionProof.system", reason: "not UTF-8")
        }
        self.system = system
        bytes = try reader.readLengthPrefixedBytes("TransitionProof.bytes", limit: Self.proofByteCountMax)
    }
}
