import KeelCrypto

/// A consensus object with one canonical binary encoding.
///
/// The format: integers little-endian at fixed width (`UInt64` for slots, epochs, indices,
/// stakes and nonces), 32-byte values and 64-byte signatures as raw bytes, booleans as one byte
/// 0 or 1, tagged unions as a one-byte tag then the case's fields, lists and byte strings as a
/// `UInt32` little-endian count (checked against a named ``CodecLimits`` limit) then the
/// elements. Fields are written in declaration order, with no padding and no self-description.
///
/// Canonical means a bijection on valid objects: every value has exactly one encoding, and a
/// decoder accepts exactly the bytes an encoder produces, so `decode(encode(x)) == x` and, for
/// any bytes `b` that decode, `encode(decode(b)) == b`. That is what lets a root be computed
/// from the encoding and compared across nodes.
///
/// - Important: Encoding is total and never checks limits; decoding validates. An object built
///   in memory that breaks a limit (too many attestations, a VM cell not below `p`) encodes,
///   but its encoding does not decode.
public protocol CanonicalCodable: Sendable {
    /// Appends this object's canonical encoding to `writer`.
    ///
    /// - Parameter writer: The buffer to append to.
    func encode(to writer: inout ByteWriter)

    /// Reads one object from `reader`, leaving the cursor just past it.
    ///
    /// - Parameter reader: The input; bytes after the object are left for the caller.
    /// - Throws: ``DecodingError`` naming the first rule the bytes break.
    init(from reader: inout ByteReader) throws(DecodingError)

    /// The object's root: SHA-256 of its canonical encoding (see the extension's default).
    var hashTreeRoot: Root { get }
}

extension CanonicalCodable {
    /// The canonical encoding, as a new array.
    public var encoded: [UInt8] {
        var writer = ByteWriter()
        encode(to: &writer)
        return writer.finish()
    }

    /// Decodes exactly one object from `bytes`.
    ///
    /// - Parameter bytes: The whole encoding; arrays and array slices are read without copying.
    /// - Throws: ``DecodingError`` naming the first rule broken, including
    ///   ``DecodingError/trailingBytes(type:count:)`` if anything follows the object.
    public init(decoding bytes: some Collection<UInt8>) throws(DecodingError) {
        let slice: ArraySlice<UInt8>
        if let array = bytes as? [UInt8] {
            slice = array[...]
        } else if let arraySlice = bytes as? ArraySlice<UInt8> {
            slice = arraySlice
        } else {
            slice = ArraySlice(bytes)
        }
        var reader = ByteReader(slice)
        self = try Self(from: &reader)
        try reader.expectEnd(of: String(describing: Self.self))
    }

    /// The object's root. Hash roots are defined on the canonical encoding: the root of an
    /// object is SHA-256 of its canonical encoding.
    ///
    /// Departure from phase0: SSZ `hash_tree_root` Merkleizes field by field; Keel hashes the
    /// flat encoding, which commits to the same content and is simpler to reproduce. ``Block``
    /// overrides this so that a block's root is its header's root, as in phase0.
    public var hashTreeRoot: Root {
        SHA256.hash(encoded)
    }
}
