import KeelCrypto
@testable import KeelNode
import XCTest

final class MessageIDCacheTests: XCTestCase {
    func testForgetsTheOldestWhenFull() {
        var cache = MessageIDCache(countMax: 3)
        let ids = (0..<5).map { P2PFixtures.root(UInt64($0)) }
        for id in ids {
            cache.record(id, .delivered)
        }
        XCTAssertEqual(cache.count, 3)
        XCTAssertNil(cache.status(of: ids[0]))
        XCTAssertNil(cache.status(of: ids[1]))
        XCTAssertEqual(cache.status(of: ids[4]), .delivered)
    }

    func testRecordingAgainUpdatesWithoutGrowing() {
        var cache = MessageIDCache(countMax: 2)
        let id = P2PFixtures.root(1)
        cache.record(id, .delivered)
        cache.record(id, .forwarded)
        XCTAssertEqual(cache.count, 1)
        XCTAssertEqual(cache.status(of: id), .forwarded)
    }
}
