import Foundation
import KeelLight
import XCTest

/// A minimal W3C WebDriver client over Debian's `chromedriver` and headless Chromium (installed
/// by `scripts/bootstrap`): start a session, open a page, run a script, take screenshots.
final class WebDriver {
    let process: Process
    let client: LightHTTPClient
    private(set) var session = ""

    static let driverPath = "/usr/bin/chromedriver"

    /// Starts chromedriver on a free port and a headless Chromium session.
    init(port: Int) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.driverPath) else {
            throw XCTSkip("chromedriver is missing: run scripts/bootstrap (it installs chromium and chromium-driver)")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.driverPath)
        process.arguments = ["--port=\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        client = LightHTTPClient(baseURL: try NodeURL("http://127.0.0.1:\(port)"), timeout: .seconds(60))
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": ["goog:chromeOptions": ["args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,3600",
        ]]]]]
        var started: [String: Any]?
        for _ in 0..<50 where started == nil {
            started = try? call("POST", "/session", capabilities)
            if started == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        session = try XCTUnwrap((try XCTUnwrap(started)["value"] as? [String: Any])?["sessionId"] as? String)
    }

    func close() {
        _ = try? call("DELETE", "/session/\(session)", nil)
        process.terminate()
        process.waitUntilExit()
    }

    func open(_ url: String) throws { _ = try call("POST", "/session/\(session)/url", ["url": url]) }

    /// Runs `script` (a function body; `return` its result) in the page.
    func run(_ script: String) throws -> Any? {
        try call("POST", "/session/\(session)/execute/sync", ["script": script, "args": []])["value"]
    }

    /// A PNG of the element matching `selector`, scrolled into view.
    func screenshot(of selector: String) throws -> Data {
        let found = try call("POST", "/session/\(session)/element", ["using": "css selector", "value": selector])
        let element = try XCTUnwrap((found["value"] as? [String: String])?.values.first)
        _ = try run("document.querySelector('\(selector)').scrollIntoView()")
        let png = try call("GET", "/session/\(session)/element/\(element)/screenshot", nil)["value"] as? String
        return try XCTUnwrap(Data(base64Encoded: try XCTUnwrap(png)))
    }

    /// Polls `script` until it returns true or `seconds` pass; returns whether it did.
    func wait(_ seconds: Double, until script: String) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try run(script)) as? Bool == true { return true }
            Thread.sleep(forTimeInterval: 0.25)
        }
        return false
    }

    private func call(_ method: String, _ path: String, _ body: [String: Any]?) throws -> [String: Any] {
        let client = self.client
        let bytes = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
        let response: HTTPResponse = try blockingTestAwait {
            switch method {
            case "POST": try await client.post(path, json: bytes ?? Array("{}".utf8))
            case "DELETE": try await client.delete(path)
            default: try await client.get(path)
            }
        }
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        guard response.isSuccess else { throw WebDriverError(message: "\(method) \(path): \(response.status) \(object)") }
        return object
    }
}

struct WebDriverError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Runs async work from a synchronous test and waits for it.
func blockingTestAwait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: Result<T, any Error>?
    Task {
        do { result = .success(try await body()) } catch { result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try result!.get()
}
