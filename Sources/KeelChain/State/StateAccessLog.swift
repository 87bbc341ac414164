import Synchronization

/// Which accounts and programs a state transition read or wrote, and how many VM steps its calls
/// ran: what a prover needs to cut a block witness (the keys) and a transition claim (the steps),
/// and what a stateless verifier needs to check that every entry it read absent is truly absent.
///
/// A reference type on purpose: reads go through non-mutating subscripts, and copies of a state
/// made inside the transition must report into the same log. Attach it with
/// ``ChainState/attachAccessLog(_:)`` for one transition: a prover's trace of a block, or a
/// stateless verifier's re-execution. A node importing blocks never attaches one.
public final class StateAccessLog: Sendable {
    let accounts = KeyAccessRecorder<Address>()
    let programs = KeyAccessRecorder<Address>()
    private let steps = Mutex<UInt64>(0)

    public init() {}

    /// Every account address read or written, ascending.
    public var accountAddresses: [Address] { accounts.keys }
    /// Every program address read or written, ascending.
    public var programAddresses: [Address] { programs.keys }
    /// The VM steps executed by the calls of the transition (faulting calls included).
    public var vmSteps: UInt64 { steps.withLock { $0 } }

    func recordSteps(_ count: UInt64) {
        steps.withLock { $0 = $0.addingReportingOverflow(count).overflow ? .max : $0 + count }
    }
}

/// The keys of one ``TrackedMap`` that were read or written.
final class KeyAccessRecorder<Key: Hashable & Comparable & Sendable>: Sendable {
    private let recorded = Mutex<Set<Key>>([])

    func record(_ key: Key) {
        _ = recorded.withLock { $0.insert(key) }
    }

    var keys: [Key] { recorded.withLock { $0.sorted() } }
}
