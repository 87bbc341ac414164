/// Why bytes are not the canonical encoding of a consensus object.
///
/// Every decoder in Keel rejects with one of these rather than trapping, so a peer that sends
/// garbage can be dropped with a reason and nothing else is affected.
public enum DecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input ended while `type` was being read: `needed` bytes were required and only
    /// `available` were left.
    case truncated(type: String, needed: Int, available: Int)
    /// A complete `type` was decoded but `count` bytes were left over.
    case trailingBytes(type: String, count: Int)
    /// The list `field` declared `count` elements, more than its `limit` (checked before
    /// anything is allocated for it).
    case listTooLong(field: String, count: UInt64, limit: UInt64)
    /// A tagged union `type` began with a tag that names none of its cases.
    case unknownTag(type: String, tag: UInt8)
    /// The bytes of `field` are well-formed in size but not a valid value: a public key that is
    /// not on the curve, a bool byte other than 0 or 1, a VM cell not below the field modulus.
    case invalidValue(field: String, reason: String)

    /// One readable line naming what went wrong and where.
    public var description: String {
        switch self {
        case .truncated(let type, let needed, let available):
            "truncated input: \(type) needs \(needed) more bytes, \(available) available"
        case .trailingBytes(let type, let count):
            "\(count) trailing byte(s) after a complete \(type)"
        case .listTooLong(let field, let count, let limit):
            "list \(field) has \(count) elements, over its limit of \(limit)"
        case .unknownTag(let type, let tag):
            "unknown \(type) tag \(tag)"
        case .invalidValue(let field, let reason):
            "invalid \(field): \(reason)"
        }
    }
}
