import KeelChain

/// Verified transactions waiting for a block, at most ``capacity``, deduplicated by root.
///
/// Holds only ``VerifiedTransaction``s. ``prune(state:)`` evicts what a state makes impossible
/// to include (a nonce the sender has used since, a sender gone); ``transactionsForBlock()``
/// hands them out in a deterministic order: sender, then nonce, then root.
public struct TransactionPool: Sendable {
    /// The most transactions held.
    public let capacity: Int
    private var byRoot: [Root: VerifiedTransaction] = [:]

    /// Creates an empty pool holding at most `capacity` transactions.
    public init(capacity: Int = 4_096) {
        precondition(capacity >= 1, "a pool holds at least one transaction")
        self.capacity = capacity
    }

    /// The number of transactions held.
    public var count: Int { byRoot.count }

    /// Whether the pool holds the transaction with this signed root.
    public func contains(_ root: Root) -> Bool { byRoot[root] != nil }

    /// What `insert` did.
    public enum InsertResult: Hashable, Sendable { case added, duplicate, full }

    /// Adds a verified transaction.
    @discardableResult
    public mutating func insert(_ transaction: VerifiedTransaction) -> InsertResult {
        guard byRoot[transaction.root] == nil else { return .duplicate }
        guard byRoot.count < capacity else { return .full }
        byRoot[transaction.root] = transaction
        precondition(byRoot.count <= capacity, "the pool stays within its capacity")
        return .added
    }

    /// Forgets the transactions with these signed roots (included in a block).
    public mutating func remove(_ roots: some Sequence<Root>) {
        for root in roots { byRoot[root] = nil }
    }

    /// Evicts what can no longer be included on top of `state`: a sender the state does not
    /// know, or a nonce below the sender's next one.
    public mutating func prune(state: ChainState) {
        byRoot = byRoot.filter { _, transaction in
            guard let account = state.accounts[transaction.sender] else { return false }
            return transaction.nonce >= account.nonce
        }
        precondition(byRoot.count <= capacity, "pruning never grows the pool")
    }

    /// Every held transaction, ordered by sender, nonce and root, at most `countMax`.
    public func transactionsForBlock(countMax: Int) -> [SignedTransaction] {
        let ordered = byRoot.values.sorted { ($0.sender, $0.nonce, $0.root) < ($1.sender, $1.nonce, $1.root) }
        return ordered.prefix(countMax).map(\.signed)
    }
}
