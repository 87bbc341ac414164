import Hummingbird
import NIOCore

/// The API's OpenAPI 3.1 document, `Sources/KeelNode/API/openapi.json`, embedded in the binary
/// at build time and served at `GET /openapi.json`. The file is the one place the API's shape
/// is written down: tests check every endpoint's answers against it, and `make fuzz-api` runs
/// schemathesis from it.
public enum OpenAPIDocument {
    /// The document's bytes (JSON).
    public static var bytes: [UInt8] { PackageResources.openapi_json }

    static func response() -> Response {
        Response(
            status: .ok, headers: [.contentType: APIJSON.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
