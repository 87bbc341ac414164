import KeelCrypto

/// What stateless re-execution needs from the state: a state made of a witness's entries over the
/// partial tree the witness reveals, a trace of the entries a transition touches, and the keys
/// it wrote that the witness did not reach. KeelProof builds block witnesses and the verifier on
/// these.
extension ChainState {
    /// Opens a state from a witness: `entries` carries every field, every validator and the
    /// accounts and programs a block touches; `tree` is the partial tree the witness's multiproof
    /// rebuilt, already checked against the pre-state root.
    ///
    /// - Throws: ``StateOpeningError`` when the tree does not reach an entry's key, or an entry
    ///   does not hash to the tree's leaf (an altered entry, or one the tree says is absent).
    public init(opening entries: ChainState, tree: PartialMerkleTree) throws(StateOpeningError) {
        var state = entries
        state.detachAccessLog()
        // Every leaf the entries hold, listed outright: whether an entry is marked touched
        // depends on how the value was built, and an unchecked entry would be trusted.
        for leaf in state.allLeaves() {
            let stored: Hash32?
            do { stored = try tree.value(for: leaf.key) } catch { throw .notCovered(key: leaf.key) }
            guard stored == leaf.valueHash else { throw .entryMismatch(key: leaf.key) }
        }
        _ = state.takeLeafUpdates()
        state.stateTree = .partial(tree, uncoveredKeys: [])
        self = state
    }

    /// This state with only the named accounts and programs (those it holds): the entries of a
    /// witness. Every field and every validator is kept.
    public func restricted(toAccounts accountAddresses: [Address], programs programAddresses: [Address]) -> ChainState {
        var copy = self
        copy.detachAccessLog()
        let keptAccounts = Set(accountAddresses), keptPrograms = Set(programAddresses)
        copy.accounts = TrackedMap(accounts.storage.filter { keptAccounts.contains($0.key) })
        copy.programs = TrackedMap(programs.storage.filter { keptPrograms.contains($0.key) })
        return copy
    }

    /// Every leaf of the state: each field, validator, account and program with its value hash.
    func allLeaves() -> [(key: Hash32, valueHash: Hash32?)] {
        var leaves = fieldLeaves()
        for index in validators.indices {
            leaves.append((StateKey.validator(ValidatorIndex(UInt64(index))), validators[index].hashTreeRoot))
        }
        for (address, account) in accounts.storage { leaves.append((StateKey.account(address), account.hashTreeRoot)) }
        for (address, program) in programs.storage { leaves.append((StateKey.program(address), program.hashTreeRoot)) }
        precondition(leaves.count == Self.fieldKeys.count + validators.count + accounts.count + programs.count, "one leaf per entry")
        return leaves
    }

    /// Records, until ``detachAccessLog()``, every account and program the state reads or writes
    /// and the VM steps its calls run.
    public mutating func attachAccessLog(_ log: StateAccessLog) {
        accessLog = log
        accounts.accessRecorder = log.accounts
        programs.accessRecorder = log.programs
    }

    public mutating func detachAccessLog() {
        accessLog = nil
        accounts.accessRecorder = nil
        programs.accessRecorder = nil
    }

    /// Whether the state was opened from a witness (and holds only part of its tree).
    public var isOpenedFromWitness: Bool {
        if case .partial = stateTree { return true }
        return false
    }

    /// The leaf keys the state wrote that its witness does not reach, ascending; always empty
    /// for a state holding its whole tree. The root of a state with any is meaningless.
    public var uncoveredKeys: [Hash32] {
        if case .partial(_, let keys) = stateTree { return keys.sorted() }
        return []
    }

    /// Whether the partial tree behind a state opened from a witness holds `key` absent: the
    /// witness reaches the key and it has no leaf.
    ///
    /// - Throws: ``StateOpeningError/notCovered(key:)`` when the witness does not reach the key.
    /// - Precondition: the state was opened from a witness.
    public func witnessHoldsAbsent(_ key: Hash32) throws(StateOpeningError) -> Bool {
        guard case .partial(let tree, _) = stateTree else { preconditionFailure("only a state opened from a witness") }
        do { return try tree.value(for: key) == nil } catch { throw .notCovered(key: key) }
    }
}

/// Why a witness's entries do not open against its tree.
public enum StateOpeningError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The witness's multiproof does not reach this leaf key.
    case notCovered(key: Hash32)
    /// The witness's entry at this key does not hash to the leaf the tree holds.
    case entryMismatch(key: Hash32)

    public var description: String {
        switch self {
        case .notCovered(let key): "the witness does not reach state key \(key.hex)"
        case .entryMismatch(let key): "the witness's entry at state key \(key.hex) does not match the state root"
        }
    }
}
