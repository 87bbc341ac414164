import Foundation
import Hummingbird
import NIOCore

/// The API's OpenAPI 3.1 document, `Sources/KeelNode/API/openapi.json`, embedded in the binary
/// at build time and served at `GET /openapi.json`. The file is the one place the API's shape
/// is written down: tests check every endpoint's answers against it, and `make fuzz-api` runs
/// schemathesis from it.
public enum OpenAPIDocument {
    /// The document's bytes (JSON).
    public static var bytes: [UInt8] { PackageResources.openapi_json }

    /// The documented methods of each path template (`/blocks/{id}`), from the document.
    static let routes: [(segments: [String], methods: [String])] = {
        guard let document = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let paths = document["paths"] as? [String: [String: Any]]
        else { preconditionFailure("the embedded OpenAPI document has paths") }
        return paths.map { template, item in
            (template.split(separator: "/", omittingEmptySubsequences: false).map(String.init), item.keys.map { $0.uppercased() }.sorted())
        }
    }()

    /// The methods the document lists for a concrete `path` (a template's `{name}` matches any
    /// one segment), nil for a path it does not know: what a 405 answer's `Allow` header says.
    static func allowedMethods(path: String) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let match = routes.first { route in
            route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { $0.hasPrefix("{") ? !$1.isEmpty : $0 == $1 }
        }
        return match?.methods
    }

    static func response() -> Response {
        Response(
            status: .ok, headers: [.contentType: APIJSON.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The testnet explorer, `Sources/KeelNode/API/UI/explorer.html`: one page with its styles and
/// script inline, embedded in the binary (no CDN, works offline), served at `GET /ui`.
public enum ExplorerPage {
    public static var bytes: [UInt8] { PackageResources.explorer_html }

    static func response() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
