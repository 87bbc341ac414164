import KeelConsensus
@testable import KeelNode
import XCTest

/// The event hub: topic filtering, bounded queues with a missed-events notice for slow readers,
/// keep-alives, the subscriber cap, and closing.
final class EventHubTests: XCTestCase {
    private func event(_ topic: String, _ n: Int) -> ServerSentEvent { ServerSentEvent(event: topic, data: #"{"n":\#(n)}"#) }

    /// Reads `count` items (the stream must have them queued or coming).
    private func take(_ count: Int, from subscription: EventSubscription) async -> [EventStreamItem] {
        var items: [EventStreamItem] = []
        var iterator = subscription.makeAsyncIterator()
        while items.count < count, let item = await iterator.next() { items.append(item) }
        return items
    }

    func testASubscriberGetsOnlyItsTopicsInOrder() async {
        let hub = EventHub()
        let subscription = try! XCTUnwrap(hub.subscribe(topics: ["head", "block"]))
        hub.publish(event("head", 1))
        hub.publish(event("finalized_checkpoint", 2))
        hub.publish(event("block", 3))
        hub.publish(event("head", 4))
        let items = await take(3, from: subscription)
        XCTAssertEqual(items, [.event(event("head", 1)), .event(event("block", 3)), .event(event("head", 4))])
    }

    func testASlowReaderIsToldHowManyEventsItMissedAndTheQueueStaysBounded() async {
        let hub = EventHub(queueCountMax: 8)
        let subscription = try! XCTUnwrap(hub.subscribe(topics: ["head"]))
        for n in 0..<1_000 { hub.publish(event("head", n)) }
        let items = await take(9, from: subscription)
        XCTAssertEqual(items.first, .event(ServerSentEvent(event: "missed", data: #"{"count":992}"#)), "992 of 1000 did not fit 8 slots")
        XCTAssertEqual(Array(items.dropFirst()), (992..<1_000).map { .event(event("head", $0)) }, "the newest 8 are kept, in order")

        hub.publish(event("head", 1_000))
        let next = await take(1, from: subscription)
        XCTAssertEqual(next, [.event(event("head", 1_000))], "no notice when nothing was missed since")
    }

    func testKeepAlivesReachEverySubscriberAndAreFramedAsComments() async {
        let hub = EventHub()
        let subscription = try! XCTUnwrap(hub.subscribe(topics: ["transaction"]))
        hub.keepAlive()
        let items = await take(1, from: subscription)
        XCTAssertEqual(items, [.keepAlive])
        XCTAssertEqual(String(buffer: EventStreamItem.keepAlive.framed), ": keep-alive\n\n")
        XCTAssertEqual(String(buffer: EventStreamItem.event(event("head", 5)).framed), "event: head\ndata: {\"n\":5}\n\n")
    }

    func testTheSubscriberCapRefusesMoreAndCancellingFreesASlot() {
        let hub = EventHub(subscriberCountMax: 2)
        let first = hub.subscribe(topics: ["head"])
        let second = hub.subscribe(topics: ["head"])
        XCTAssertNotNil(second)
        XCTAssertNil(hub.subscribe(topics: ["head"]), "a third subscriber is refused")
        first?.cancel()
        XCTAssertEqual(hub.subscriberCount, 1)
        let third = hub.subscribe(topics: ["head"])
        XCTAssertNotNil(third, "the cancelled one's slot is free again")
        withExtendedLifetime((second, third)) {}
    }

    func testADroppedSubscriptionFreesItsSlot() {
        let hub = EventHub(subscriberCountMax: 1)
        do { _ = hub.subscribe(topics: ["head"]) }
        XCTAssertEqual(hub.subscriberCount, 0, "a subscription nobody holds ends itself")
    }

    func testClosingEndsEveryStreamAndRefusesNewSubscribers() async {
        let hub = EventHub()
        let subscription = try! XCTUnwrap(hub.subscribe(topics: ["head"]))
        hub.close()
        var iterator = subscription.makeAsyncIterator()
        let next = await iterator.next()
        XCTAssertNil(next, "the stream ends")
        XCTAssertNil(hub.subscribe(topics: ["head"]))
        XCTAssertEqual(hub.subscriberCount, 0)
    }
}
