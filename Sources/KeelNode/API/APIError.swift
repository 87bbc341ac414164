import Foundation
import Hummingbird
import NIOCore

/// An HTTP API failure: the status to answer with and a reason for the client.
///
/// A struct rather than an enum (STYLE.md item 9): the set of reasons grows with the endpoints.
/// Every error leaves the server as JSON `{"error": "<message>"}` (``APIErrorMiddleware``).
public struct APIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The HTTP status, always 4xx or 5xx.
    public let status: HTTPResponse.Status
    /// A readable reason, sent as the `error` field.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - status: A 4xx or 5xx status.
    ///   - message: The reason, in one line.
    public init(_ status: HTTPResponse.Status, _ message: String) {
        precondition(status.code >= 400 && status.code < 600, "an API error is a 4xx or 5xx status")
        precondition(!message.isEmpty, "an API error says why")
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code) \(message)" }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
}

/// The JSON body of every error response.
struct APIErrorJSON: Codable, Hashable, Sendable {
    var error: String
}

/// Turns every error a route (or the router's not-found responder) throws into a JSON response,
/// so that no client ever sees Hummingbird's empty or plain-text error bodies.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return APIJSON.error(error)
        } catch is NIOTooManyBytesError {
            return APIJSON.error(APIError(.contentTooLarge, "request body is larger than the limit"))
        } catch let error as HTTPError {
            // No route for this method: a 405 with `Allow` when another method has this path.
            if error.status == .notFound, error.body == nil, let allowed = OpenAPIDocument.allowedMethods(path: request.uri.path) {
                var response = APIJSON.error(APIError(.methodNotAllowed, "\(request.method) is not allowed here; use \(allowed.joined(separator: ", "))"))
                response.headers[.allow] = allowed.joined(separator: ", ")
                return response
            }
            return APIJSON.error(APIError(error.status, Self.message(error)))
        } catch let error as any HTTPResponseError {
            return APIJSON.error(APIError(error.status, error.status.reasonPhrase.lowercased()))
        } catch {
            context.logger.error("API route failed", metadata: ["error": "\(error)"])
            return APIJSON.error(APIError(.internalServerError, "internal error"))
        }
    }

    private static func message(_ error: HTTPError) -> String {
        if error.status == .notFound, error.body == nil { return "no such route" }
        return error.body ?? error.status.reasonPhrase.lowercased()
    }
}
