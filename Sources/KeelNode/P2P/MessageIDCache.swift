import KeelCrypto

/// The gossip identifiers seen recently, bounded: when full, the oldest identifier is forgotten.
///
/// Each identifier remembers whether the node has already forwarded the message, so that the
/// node's own `broadcast` of a message it received is sent once, and a second `broadcast` of
/// the same message is not.
struct MessageIDCache {
    /// How far a message got.
    enum Status {
        /// Received from a peer and delivered to the node, not yet forwarded.
        case delivered
        /// Broadcast to the peers.
        case forwarded
    }

    /// The most identifiers remembered.
    let countMax: Int
    private var statuses: [Hash32: Status]
    /// The identifiers in insertion order; `order[head]` is the oldest once the ring is full.
    private var order: [Hash32]
    private var head: Int

    /// Creates an empty cache with room reserved for `countMax` identifiers.
    init(countMax: Int) {
        precondition(countMax >= 1, "a cache holds at least one identifier")
        self.countMax = countMax
        self.statuses = Dictionary(minimumCapacity: countMax)
        self.order = []
        self.order.reserveCapacity(countMax)
        self.head = 0
    }

    /// The number of identifiers remembered.
    var count: Int { statuses.count }

    /// The status of `id`, or `nil` if it was not seen (or was forgotten).
    func status(of id: Hash32) -> Status? {
        statuses[id]
    }

    /// Records `id` with `status`, forgetting the oldest identifier if the cache is full.
    mutating func record(_ id: Hash32, _ status: Status) {
        if statuses[id] != nil {
            statuses[id] = status
            return
        }
        if order.count < countMax {
            order.append(id)
        } else {
            statuses[order[head]] = nil
            order[head] = id
            head = (head + 1) % countMax
        }
        statuses[id] = status
        precondition(statuses.count <= countMax, "the cache stays within its bound")
        assert(statuses.count == order.count, "every remembered identifier is in the ring once")
    }
}
