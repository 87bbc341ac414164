import KeelChain
import Synchronization

/// `ForkChoiceStore.getHead`'s last answer, kept so that asking again without a change costs
/// nothing (getHead is O(validators + blocks)).
///
/// A reference, so that the non-mutating `getHead` can fill it. Copies of a store share one
/// until either changes something `getHead` reads, which gives the changed copy a fresh memo
/// (`forgetHead`); so a memo only ever holds the head of the store contents it was made for.
/// The lock is there because copies of one store can be read on different threads.
final class HeadMemo: Sendable {
    private let stored = Mutex<Root?>(nil)

    var root: Root? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}

extension ForkChoiceStore {
    /// Forgets the memoized head after a change: in place when this store alone holds the memo
    /// (the usual case, and no allocation per vote), else by taking a fresh one, so that a copy
    /// still sharing the old memo keeps the head of its own, unchanged contents.
    mutating func forgetHead() {
        if isKnownUniquelyReferenced(&headMemo) {
            headMemo.root = nil
        } else {
            headMemo = HeadMemo()
        }
    }
}
