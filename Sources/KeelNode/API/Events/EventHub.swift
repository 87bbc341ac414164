import NIOCore
import Synchronization

/// Fans a node's events out to `GET /events` subscribers, each with a bounded queue: a reader
/// that falls behind loses its oldest events (and is told how many before its next one), so no
/// subscriber can grow the node's memory. Publishing never waits for a reader.
public final class EventHub: Sendable {
    /// The most events queued for one subscriber.
    public let queueCountMax: Int
    /// The most subscribers at once; more are refused (the API answers 503).
    public let subscriberCountMax: Int

    private struct Subscriber {
        var topics: Set<String>
        var continuation: AsyncStream<EventStreamItem>.Continuation
        var missed: Int
    }

    private struct State {
        var subscribers: [UInt64: Subscriber] = [:]
        var nextID: UInt64 = 0
        var isClosed = false
    }

    private let state = Mutex(State())

    /// Creates a hub.
    ///
    /// - Parameters:
    ///   - queueCountMax: The most events queued for one subscriber (more than zero).
    ///   - subscriberCountMax: The most subscribers at once (more than zero).
    public init(queueCountMax: Int = 1024, subscriberCountMax: Int = 64) {
        precondition(queueCountMax > 0 && subscriberCountMax > 0, "a hub holds some events and some subscribers")
        self.queueCountMax = queueCountMax
        self.subscriberCountMax = subscriberCountMax
    }

    /// Subscribes to `topics`.
    ///
    /// - Returns: The subscription, or nil when the hub is full or closed.
    public func subscribe(topics: Set<String>) -> EventSubscription? {
        precondition(!topics.isEmpty, "a subscription names a topic")
        let (stream, continuation) = AsyncStream.makeStream(of: EventStreamItem.self, bufferingPolicy: .bufferingNewest(queueCountMax))
        let id: UInt64? = state.withLock { state in
            guard !state.isClosed, state.subscribers.count < subscriberCountMax else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(topics: topics, continuation: continuation, missed: 0)
            return id
        }
        guard let id else {
            continuation.finish()
            return nil
        }
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        return EventSubscription(id: id, hub: self, stream: stream)
    }

    /// Queues `event` for every subscriber of its topic.
    public func publish(_ event: ServerSentEvent) {
        state.withLock { state in
            for (id, subscriber) in state.subscribers where subscriber.topics.contains(event.event) {
                if case .dropped(.event) = subscriber.continuation.yield(.event(event)) { state.subscribers[id]?.missed += 1 }
            }
        }
    }

    /// Queues a keep-alive for every subscriber (the server calls this on a timer). A full
    /// queue drops its oldest item for it, as for an event; a dropped event is counted missed.
    public func keepAlive() {
        state.withLock { state in
            for (id, subscriber) in state.subscribers {
                if case .dropped(.event) = subscriber.continuation.yield(.keepAlive) { state.subscribers[id]?.missed += 1 }
            }
        }
    }

    /// Ends every subscription (their streams finish) and refuses new ones: for shutdown, so
    /// that open event streams do not hold the server open.
    public func close() {
        let continuations = state.withLock { state in
            state.isClosed = true
            defer { state.subscribers = [:] }
            return state.subscribers.values.map(\.continuation)
        }
        for continuation in continuations { continuation.finish() }
    }

    /// The number of subscribers now.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Takes (and resets) the count of events dropped for subscriber `id`.
    fileprivate func takeMissed(_ id: UInt64) -> Int {
        state.withLock { state in
            let missed = state.subscribers[id]?.missed ?? 0
            state.subscribers[id]?.missed = 0
            return missed
        }
    }

    /// Drops subscriber `id`; its stream finishes.
    fileprivate func remove(_ id: UInt64) {
        let removed = state.withLock { state in state.subscribers.removeValue(forKey: id) }
        removed?.continuation.finish()
    }
}

/// What a subscriber's stream carries.
public enum EventStreamItem: Hashable, Sendable {
    case event(ServerSentEvent)
    case keepAlive

    /// The item as it goes on the wire.
    public var framed: ByteBuffer {
        switch self {
        case let .event(event): event.framed
        case .keepAlive: ServerSentEvent.keepAlive
        }
    }
}

/// One subscriber's events, in order; a `missed` notice precedes the first event after a gap.
/// The stream ends when the hub closes or the subscription is dropped.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = EventStreamItem

    let id: UInt64
    let hub: EventHub
    let stream: AsyncStream<EventStreamItem>

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<EventStreamItem>.AsyncIterator
        let id: UInt64
        let hub: EventHub
        var held: EventStreamItem?

        public mutating func next() async -> EventStreamItem? {
            if let held {
                self.held = nil
                return held
            }
            guard let item = await base.next() else { return nil }
            // Dropped events were older than this item: the notice goes first.
            let missed = hub.takeMissed(id)
            guard missed > 0 else { return item }
            held = item
            return .event(.missed(missed))
        }
    }

    /// Ends the subscription: the hub stops queueing for it. The hub keeps each subscriber's
    /// queue alive, so a reader that stops reading must say so.
    public func cancel() { hub.remove(id) }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: stream.makeAsyncIterator(), id: id, hub: hub, held: nil)
    }
}
