import Foundation
import NIOHTTP1

extension LightHTTPClient {
    /// Sends a GET and decodes a 2xx JSON body as `T`.
    ///
    /// Keys are read with `.convertFromSnakeCase`, the mirror of the node's encoder (README,
    /// "HTTP API": keys are snake_case), so response types use plain Swift names (`headSlot`) and
    /// no `CodingKeys`.
    ///
    /// - Parameters:
    ///   - path: The request path, as for ``get(_:)``.
    ///   - type: The type to decode.
    /// - Returns: The decoded body.
    /// - Throws: What ``get(_:)`` throws; ``LightHTTPError/status(_:path:message:)`` for a status
    ///   other than 2xx, with the node's `{"error": ...}` text as the message; and
    ///   ``LightHTTPError/undecodable(path:reason:)`` when the body is not `T` in JSON.
    public func getJSON<T: Decodable>(_ path: String, as type: T.Type) async throws(LightHTTPError) -> T {
        let response = try await get(path)
        guard response.isSuccess else {
            throw .status(response.status, path: path, message: Self.errorMessage(response))
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(T.self, from: Data(response.body))
        } catch let error as DecodingError {
            throw .undecodable(path: path, reason: Self.describe(error))
        } catch {
            throw .undecodable(path: path, reason: "\(error)")
        }
    }

    /// The body of every API error (KeelNode's `APIErrorJSON`).
    private struct ErrorBody: Decodable {
        var error: String
    }

    /// Bodies longer than this are not worth quoting in an error message.
    private static let messageCharactersMax = 200

    /// The node's `{"error": ...}` text; else a short, plain-text body (from a proxy, say); else
    /// the status's reason phrase.
    public static func errorMessage(_ response: HTTPResponse) -> String {
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body)), !body.error.isEmpty {
            return body.error
        }
        let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty, text.count <= messageCharactersMax, !text.contains("\n") { return text }
        return HTTPResponseStatus(statusCode: response.status).reasonPhrase.lowercased()
    }

    /// One line naming what was wrong and where (`head.slot`), rather than `DecodingError`'s dump.
    private static func describe(_ error: DecodingError) -> String {
        func at(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "" : " at \(path)"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \"\(key.stringValue)\"\(at(context))"
        case .valueNotFound(let type, let context):
            return "null where \(type) was expected\(at(context))"
        case .typeMismatch(let type, let context):
            return "expected \(type)\(at(context))"
        case .dataCorrupted(let context):
            return "\(context.debugDescription)\(at(context))"
        @unknown default:
            return "\(error)"
        }
    }
}
