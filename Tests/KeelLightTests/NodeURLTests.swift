import KeelLight
import XCTest

/// ``NodeURL`` parsing: the forms a user may type, and a clear reason for each it may not.
final class NodeURLTests: XCTestCase {
    private func reason(_ text: String) -> String? {
        do throws(LightHTTPError) {
            _ = try NodeURL(text)
            return nil
        } catch {
            guard case .malformedURL(let quoted, let reason) = error else { return "unexpected \(error)" }
            XCTAssertEqual(quoted, text)
            return reason
        }
    }

    func testAcceptedForms() throws {
        let plain = try NodeURL("http://127.0.0.1:5052")
        XCTAssertEqual([plain.host, "\(plain.port)", plain.basePath], ["127.0.0.1", "5052", ""])
        XCTAssertEqual(plain.description, "http://127.0.0.1:5052")
        XCTAssertEqual(try NodeURL("127.0.0.1:5052"), plain)
        XCTAssertEqual(try NodeURL("  http://127.0.0.1:5052/ "), plain)

        let based = try NodeURL("HTTP://node.example:8080/keel/")
        XCTAssertEqual([based.host, "\(based.port)", based.basePath], ["node.example", "8080", "/keel"])
        XCTAssertEqual(based.description, "http://node.example:8080/keel")

        XCTAssertEqual(try NodeURL("http://localhost").port, NodeURL.portDefault)
        XCTAssertEqual(try NodeURL("localhost/api").description, "http://localhost:80/api")

        let v6 = try NodeURL("http://[::1]:5052")
        XCTAssertEqual(v6.host, "::1")
        XCTAssertEqual(v6.description, "http://[::1]:5052")
        XCTAssertEqual(try NodeURL("[::1]").port, 80)
    }

    func testRejectedForms() {
        XCTAssertEqual(reason("https://node.example:5052"), "TLS is not supported; use an http:// URL")
        XCTAssertEqual(reason("ftp://node.example:21"), "unsupported scheme \"ftp\"; use an http:// URL")
        XCTAssertEqual(reason(""), "empty host")
        XCTAssertEqual(reason("http://:5052"), "empty host")
        XCTAssertEqual(reason("http:///keel"), "empty host")
        for port in ["", "abc", "0", "65536", "-1", "+80", "50 52", "123456"] {
            XCTAssertEqual(reason("http://127.0.0.1:\(port)"), "bad port \"\(port)\"", port)
        }
        XCTAssertEqual(reason("http://user:pw@node.example:5052"), "credentials are not supported")
        XCTAssertEqual(reason("http://node.example:5052/head?x=1"), "a query or fragment is not supported")
        XCTAssertEqual(reason("http://node example:5052"), "bad host \"node example\"")
        XCTAssertEqual(reason("http://[::1:5052"), "unclosed [ in an IPv6 address")
        XCTAssertEqual(reason("http://[::1]5052"), "unexpected text after the IPv6 address")
    }

    func testErrorDescription() {
        let error = LightHTTPError.malformedURL("https://n:1", reason: "TLS is not supported; use an http:// URL")
        XCTAssertEqual(error.description, "malformed node URL \"https://n:1\": TLS is not supported; use an http:// URL")
    }
}
