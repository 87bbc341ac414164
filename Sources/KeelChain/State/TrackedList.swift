/// An array that remembers which indices were written since the state root was last computed,
/// so the root can be brought up to date in O(touched · log n) (DESIGN.md, "State root").
///
/// Every write goes through the subscript setter or `append`, so nothing can change an element
/// without it being recorded. Equality ignores the record: two lists with the same elements are
/// the same state.
public struct TrackedList<Element: Hashable & Sendable>: Sendable, Hashable, RandomAccessCollection {
    public private(set) var elements: [Element]
    /// Indices written since the last `takeTouched()`.
    private var touched: Set<Int> = []

    public init(_ elements: [Element] = []) {
        self.elements = elements
        self.touched = Set(elements.indices)
    }

    public var startIndex: Int { elements.startIndex }
    public var endIndex: Int { elements.endIndex }

    public subscript(index: Int) -> Element {
        get { elements[index] }
        set {
            elements[index] = newValue
            touched.insert(index)
        }
    }

    public mutating func append(_ element: Element) {
        touched.insert(elements.count)
        elements.append(element)
    }

    /// The indices written since the last call, sorted, and forgets them.
    mutating func takeTouched() -> [Int] {
        defer { touched.removeAll(keepingCapacity: true) }
        return touched.sorted()
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.elements == rhs.elements }
    public func hash(into hasher: inout Hasher) { hasher.combine(elements) }
}

/// A dictionary that remembers which keys were written or removed since the state root was last
/// computed. Iteration is by sorted key, never by `Dictionary` order, which is seeded per process
/// (STYLE.md item 14).
public struct TrackedMap<Key: Hashable & Comparable & Sendable, Value: Hashable & Sendable>: Sendable, Hashable {
    public private(set) var storage: [Key: Value]
    private var touched: Set<Key> = []
    /// Set only while a prover or a stateless verifier traces a transition
    /// (``StateAccessLog``); not part of the map's value.
    var accessRecorder: KeyAccessRecorder<Key>?

    public init(_ storage: [Key: Value] = [:]) {
        self.storage = storage
        self.touched = Set(storage.keys)
    }

    public var count: Int { storage.count }

    public subscript(key: Key) -> Value? {
        get {
            accessRecorder?.record(key)
            return storage[key]
        }
        set {
            accessRecorder?.record(key)
            storage[key] = newValue
            touched.insert(key)
        }
    }

    /// The keys in ascending order: the only order in which the state is ever walked.
    public var sortedKeys: [Key] { storage.keys.sorted() }

    /// The keys written or removed since the last call, sorted, and forgets them.
    mutating func takeTouched() -> [Key] {
        defer { touched.removeAll(keepingCapacity: true) }
        return touched.sorted()
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.storage == rhs.storage }
    public func hash(into hasher: inout Hasher) {
        for key in sortedKeys {
            hasher.combine(key)
            hasher.combine(storage[key])
        }
    }
}
