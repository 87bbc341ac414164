/// A min-heap of events by (time, insertion order): two events at the same millisecond run in
/// the order they were scheduled, so a run never depends on heap internals.
///
/// The heap orders small plain entries that point into a slot array holding the events, so
/// sifting moves 24 bytes per step rather than an event (which carries blocks and states).
struct EventQueue<Event> {
    private struct Entry {
        let time: UInt64
        let sequence: UInt64
        let slot: Int
    }

    private var heap: [Entry] = []
    private var events: [Event?] = []
    private var freeSlots: [Int] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    mutating func push(_ event: Event, at time: UInt64) {
        let slot: Int
        if let free = freeSlots.popLast() {
            events[free] = event
            slot = free
        } else {
            events.append(event)
            slot = events.count - 1
        }
        heap.append(Entry(time: time, sequence: nextSequence, slot: slot))
        nextSequence += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (time: UInt64, event: Event)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && Self.less(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && Self.less(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        guard let event = events[top.slot].take() else { preconditionFailure("a queued entry holds its event") }
        freeSlots.append(top.slot)
        return (top.time, event)
    }

    private static func less(_ a: Entry, _ b: Entry) -> Bool {
        (a.time, a.sequence) < (b.time, b.sequence)
    }
}
