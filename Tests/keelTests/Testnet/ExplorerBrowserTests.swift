import Foundation
import KeelNode
import KeelTestSupport
import XCTest

/// The explorer (`GET /ui`) of a live 4-node testnet in headless Chromium, asserted on its DOM:
/// four nodes, the head advancing, first finality, a `--byzantine` node's validator slashed, a
/// block's receipts, and a partition showing as two head groups that become one after `heal`.
/// Screenshots of each view go to `.build/explorer-screenshots/`.
final class ExplorerBrowserTests: TestnetTestCase {
    private var browser: WebDriver?

    override func tearDown() {
        browser?.close()
        super.tearDown()
    }

    private static let screenshots = URL(fileURLWithPath: RepositoryPaths.root).appendingPathComponent(".build/explorer-screenshots")

    private func save(_ browser: WebDriver, _ view: String) throws {
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        try browser.screenshot(of: "#\(view)").write(to: Self.screenshots.appendingPathComponent("\(view).png"))
    }

    private func number(_ browser: WebDriver, _ id: String) throws -> Int {
        Int(try browser.run("return document.getElementById('\(id)').textContent") as? String ?? "") ?? -1
    }

    func testTheExplorerShowsTheTestnetLive() throws {
        try harness.up(Self.fourNodes + ["--byzantine", "3"])
        let status = try harness.status()
        let api = "http://127.0.0.1:\(status.nodes[0].api_port)"
        // A block with a call, whose receipts the block view shows.
        let deploy = try CommandRunner.run("keel", ["tx", "deploy", RepositoryPaths.programs + "/fibonacci.kasm", "--from", "0", "--node", api, "--json"])
        XCTAssertEqual(deploy.status, 0, deploy.standardError)
        let program = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(deploy.standardOutput.utf8)) as? [String: Any])?["program"] as? String)
        let call = try CommandRunner.run("keel", ["tx", "call", program, "--input", "20", "--from", "1", "--node", api, "--json"])
        XCTAssertEqual(call.status, 0, call.standardError)
        let callBlock = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(call.standardOutput.utf8)) as? [String: Any])?["block_root"] as? String)

        let browser = try WebDriver(port: try FreePorts.take(1)[0])
        self.browser = browser
        try browser.open(api + "/ui")
        XCTAssertTrue(try browser.wait(15, until: "return document.querySelectorAll('.node-card:not(.down)').length === 4"), "four nodes shown")
        let firstHead = try number(browser, "head-slot")
        XCTAssertTrue(try browser.wait(10, until: "return Number(document.getElementById('head-slot').textContent) > \(firstHead)"), "the head advances")
        XCTAssertTrue(try browser.wait(60, until: "return Number(document.getElementById('finalized-epoch').textContent) >= 1"), "first finality appears")
        XCTAssertTrue(
            try browser.wait(60, until: "return document.querySelector('.validator-row[data-index=\"3\"] .status')?.textContent === 'slashed'"),
            "the byzantine node's validator shows as slashed")
        XCTAssertTrue(try browser.wait(10, until: "return document.querySelector('.slashing-row[data-offender=\"3\"]') !== null"))
        XCTAssertTrue(try browser.wait(10, until: "return document.querySelectorAll('.slot-row').length > 0"), "the slot feed fills")
        XCTAssertTrue(try browser.wait(10, until: "return document.querySelectorAll('.fork-node').length > 0"), "the fork tree shows")
        XCTAssertTrue(try browser.wait(10, until: "return document.querySelectorAll('.peer-row').length === 3"), "three peers")
        _ = try browser.run("showBlock('\(callBlock)')")
        XCTAssertTrue(try browser.wait(10, until: "return document.querySelectorAll('#block-body .receipt-row').length === 1"), "the block's receipt")
        let receipt = try browser.run("return document.querySelector('#block-body .receipt-row').textContent") as? String ?? ""
        XCTAssertTrue(receipt.contains("call") && receipt.contains("[6765]"), "fib(20) = 6765 in the receipt: \(receipt)")
        for view in ["network", "finality", "fork-tree", "slot-feed", "slashings", "validators", "block-detail", "peers"] {
            try save(browser, view)
        }

        let partitioned = try harness.run(["fault", "partition", "0,1/2,3"])
        XCTAssertEqual(partitioned.status, 0, partitioned.standardError)
        XCTAssertTrue(try browser.wait(20, until: "return document.querySelectorAll('.group').length === 2"), "a partition shows two groups")
        XCTAssertTrue(try browser.wait(10, until: "return document.querySelector('.timeline-row[data-kind=\"fault\"]') !== null"), "the fault is on the timeline")
        try save(browser, "network")
        try FileManager.default.moveItemIfPresent(
            Self.screenshots.appendingPathComponent("network.png"), to: Self.screenshots.appendingPathComponent("network-partitioned.png"))
        try save(browser, "timeline")
        let healed = try harness.run(["fault", "heal"])
        XCTAssertEqual(healed.status, 0, healed.standardError)
        XCTAssertTrue(try browser.wait(30, until: "return document.querySelectorAll('.group').length === 1"), "one group again after heal")
        try save(browser, "network")
    }
}

private extension FileManager {
    func moveItemIfPresent(_ source: URL, to destination: URL) throws {
        try? removeItem(at: destination)
        if fileExists(atPath: source.path) { try moveItem(at: source, to: destination) }
    }
}
