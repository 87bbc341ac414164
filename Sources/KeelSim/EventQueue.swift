/// A min-heap of events by (time, insertion order): two events at the same millisecond run in
/// the order they were scheduled, so a run never depends on heap internals.
struct EventQueue<Event> {
    private var heap: [(time: UInt64, sequence: UInt64, event: Event)] = []
    private var nextSequence: UInt64 = 0

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    mutating func push(_ event: Event, at time: UInt64) {
        heap.append((time, nextSequence, event))
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
        return (top.time, top.event)
    }

    private static func less(
        _ a: (time: UInt64, sequence: UInt64, event: Event), _ b: (time: UInt64, sequence: UInt64, event: Event)
    ) -> Bool {
        (a.time, a.sequence) < (b.time, b.sequence)
    }
}
