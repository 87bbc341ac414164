import KeelChain
import KeelConsensus
import KeelCrypto

/// How a request names a block in `GET /blocks/{id}`.
enum APIBlockID: Hashable, Sendable {
    /// `head`: the fork-choice head.
    case head
    /// A decimal slot number: the canonical block at that slot.
    case slot(Slot)
    /// 64 hex digits, with or without `0x`: the block with that root.
    case root(Root)

    /// Parses an id.
    ///
    /// - Throws: A 400 ``APIError`` for anything but `head`, a decimal `UInt64` or a 32-byte
    ///   hex root.
    init(parsing text: String) throws(APIError) {
        if text == "head" {
            self = .head
        } else if let number = APIRequestParsing.decimal(text) {
            self = .slot(Slot(number))
        } else if let root = Root(hex: text) {
            self = .root(root)
        } else {
            throw .badRequest("block id '\(APIRequestParsing.clipped(text))' is not 'head', a slot number or a 32-byte hex root")
        }
    }
}

/// Parsers for path segments and query parameters; every failure is a 400 with a reason.
enum APIRequestParsing {
    /// The most characters of a rejected value echoed back in an error message.
    static let echoedCharacterCountMax = 80

    /// A decimal `UInt64` of digits only (no sign, spaces or leading `+`), or `nil`.
    static func decimal(_ text: String) -> UInt64? {
        guard !text.isEmpty, text.utf8.count <= 20, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return nil
        }
        return UInt64(text)
    }

    /// A validator index from a path segment.
    static func validatorIndex(_ text: String) throws(APIError) -> ValidatorIndex {
        guard let number = decimal(text) else {
            throw .badRequest("validator index '\(clipped(text))' is not a decimal number")
        }
        return ValidatorIndex(number)
    }

    /// An account address: 64 hex digits, with or without `0x`.
    static func address(_ text: String) throws(APIError) -> Address {
        guard let hash = Hash32(hex: text) else {
            throw .badRequest("address '\(clipped(text))' is not 64 hex digits")
        }
        return Address(hash)
    }

    /// A 32-byte root (a transaction's, say): 64 hex digits, with or without `0x`.
    static func root(_ text: String, name: String) throws(APIError) -> Root {
        guard let root = Root(hex: text) else {
            throw .badRequest("\(name) '\(clipped(text))' is not 64 hex digits")
        }
        return root
    }

    /// The `topics` of `GET /events`: a comma-separated list of known topic names, at least one.
    static func eventTopics(_ text: String?) throws(APIError) -> Set<ChainEventTopic> {
        let known = ChainEventTopic.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text, !text.isEmpty else {
            throw .badRequest("query parameter 'topics' is required: a comma-separated list of \(known)")
        }
        var topics: Set<ChainEventTopic> = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let topic = ChainEventTopic(rawValue: String(name)) else {
                throw .badRequest("unknown event topic '\(clipped(String(name)))'; the topics are \(known)")
            }
            topics.insert(topic)
        }
        return topics
    }

    /// An optional decimal query parameter, `defaultValue` when absent.
    static func queryNumber(_ text: String?, name: String, defaultValue: UInt64) throws(APIError) -> UInt64 {
        guard let text else { return defaultValue }
        guard let number = decimal(text) else {
            throw .badRequest("query parameter '\(name)' is not a decimal number")
        }
        return number
    }

    /// `text` cut to ``echoedCharacterCountMax`` characters, so an error never echoes a huge input.
    static func clipped(_ text: String) -> String {
        text.count <= echoedCharacterCountMax ? text : String(text.prefix(echoedCharacterCountMax)) + "…"
    }
}
