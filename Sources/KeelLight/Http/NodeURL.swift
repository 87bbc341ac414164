/// Where a node's HTTP API is: `http://host:port[/base]`, plain HTTP only.
///
/// Parsed by hand rather than with Foundation's `URL`, which accepts far more than this client can
/// serve (other schemes, credentials, queries) and would leave each of those to fail later with a
/// vaguer message. Here every unsupported form is rejected up front with its reason.
public struct NodeURL: Sendable, Hashable, CustomStringConvertible {
    /// The port used when the URL names none, as for any `http://` URL.
    public static let portDefault = 80

    /// The host name or address, without the brackets of an IPv6 literal.
    public let host: String
    /// The TCP port, 1 through 65535.
    public let port: Int
    /// A path prefix for every request, `""` or starting with `/` and without a trailing `/`,
    /// for a node served behind a reverse proxy at, say, `/keel`.
    public let basePath: String

    /// Parses `http://host:port[/base]`, or `host:port[/base]` without a scheme.
    ///
    /// - Parameter text: The URL as a user typed it; surrounding whitespace is ignored.
    /// - Throws: ``LightHTTPError/malformedURL(_:reason:)`` for `https://` (TLS is not supported),
    ///   another scheme, an empty host, a bad port, credentials, a query or a fragment.
    public init(_ text: String) throws(LightHTTPError) {
        func fail(_ reason: String) -> LightHTTPError { .malformedURL(text, reason: reason) }
        var rest = Substring(text.trimmingWhitespace())
        if let schemeEnd = rest.range(of: "://") {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            if scheme == "https" { throw fail("TLS is not supported; use an http:// URL") }
            if scheme != "http" { throw fail("unsupported scheme \"\(scheme)\"; use an http:// URL") }
            rest = rest[schemeEnd.upperBound...]
        }
        if rest.contains("?") || rest.contains("#") { throw fail("a query or fragment is not supported") }
        let authority = rest.prefix { $0 != "/" }
        let path = rest[authority.endIndex...]
        if authority.contains("@") { throw fail("credentials are not supported") }
        let (host, portText) = try Self.split(authority: authority, fail: fail)
        if host.isEmpty { throw fail("empty host") }
        guard Self.isValid(host: host) else { throw fail("bad host \"\(host)\"") }
        var port = Self.portDefault
        if let portText {
            guard let value = Self.parse(port: portText) else { throw fail("bad port \"\(portText)\"") }
            port = value
        }
        guard !path.contains(where: { $0 == " " || $0.isASCIIControl }) else {
            throw fail("the path contains a space or a control character")
        }
        var basePath = String(path)
        while basePath.hasSuffix("/") { basePath.removeLast() }
        self.host = host
        self.port = port
        self.basePath = basePath
        precondition(basePath.isEmpty || basePath.hasPrefix("/"), "a base path starts with /")
        precondition((1...65535).contains(port), "a TCP port is 1 through 65535")
    }

    /// The canonical form, always with the port: `http://127.0.0.1:5052/keel`.
    public var description: String { "http://\(hostInURL):\(port)\(basePath)" }

    /// The host as written in a URL or a `Host` header: an IPv6 literal goes in brackets.
    var hostInURL: String { host.contains(":") ? "[\(host)]" : host }

    /// Splits `host[:port]` or `[v6]`/`[v6]:port`; the port text is nil when absent.
    private static func split(
        authority: Substring, fail: (String) -> LightHTTPError
    ) throws(LightHTTPError) -> (host: String, port: Substring?) {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw fail("unclosed [ in an IPv6 address") }
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw fail("unexpected text after the IPv6 address") }
            return (host, after.dropFirst())
        }
        guard let colon = authority.firstIndex(of: ":") else { return (String(authority), nil) }
        return (String(authority[..<colon]), authority[authority.index(after: colon)...])
    }

    /// A host name or an IPv4 address (letters, digits, `.`, `-`, `_`), or an IPv6 literal.
    private static func isValid(host: String) -> Bool {
        if host.contains(":") {
            return host.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        return host.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" || $0 == "_" }
    }

    /// Digits only (no sign, no spaces), 1 through 65535.
    private static func parse(port text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let value = Int(text), (1...65535).contains(value) else { return nil }
        return value
    }
}

extension Character {
    /// A C0 control character or DEL, which must never reach a request line.
    fileprivate var isASCIIControl: Bool {
        guard let scalar = unicodeScalars.first, unicodeScalars.count == 1 else { return false }
        return scalar.value < 0x20 || scalar.value == 0x7F
    }
}

extension String {
    /// The text without leading and trailing whitespace, without importing Foundation.
    fileprivate func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
