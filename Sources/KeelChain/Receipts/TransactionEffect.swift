import KeelVM

/// What applying one transaction did beyond charging its fee: the raw material of its
/// ``TransactionReceipt``. Returned by ``ChainState/processTransaction(_:proposerIndex:verifier:)``.
public enum TransactionEffect: Hashable, Sendable {
    /// A transfer moved its amount (nothing, for a transfer to oneself).
    case transferred
    /// A deploy created the program at `program`.
    case deployed(program: Address)
    /// A call ran; see ``CallEffect``.
    case called(CallEffect)
    /// A deposit created validator `validator` (`created`) or topped up its balance.
    case deposited(validator: ValidatorIndex, created: Bool)
    /// An exit was initiated for `validator`.
    case exitInitiated(validator: ValidatorIndex)
}

/// A call's run: the VM result and the program's storage as the call found it. On a fault the
/// storage is reverted, so `storageBefore` is also what the call left.
public struct CallEffect: Hashable, Sendable {
    public var program: Address
    public var result: ExecutionResult
    public var storageBefore: [UInt32]

    public init(program: Address, result: ExecutionResult, storageBefore: [UInt32]) {
        precondition(result.storage.count == storageBefore.count, "a run keeps the storage's size")
        self.program = program
        self.result = result
        self.storageBefore = storageBefore
    }

    /// The storage cells the call changed, in cell order: none for a fault (storage reverts).
    public var storageChanges: [StorageChange] {
        guard result.status == .halted else { return [] }
        return zip(storageBefore, result.storage).enumerated().compactMap { cell, pair in
            pair.0 == pair.1 ? nil : StorageChange(cell: UInt32(cell), before: pair.0, after: pair.1)
        }
    }
}

/// One storage cell a call changed.
public struct StorageChange: Hashable, Sendable {
    public var cell: UInt32
    public var before: UInt32
    public var after: UInt32

    public init(cell: UInt32, before: UInt32, after: UInt32) {
        precondition(before != after, "a change changes the value")
        self.cell = cell
        self.before = before
        self.after = after
    }
}
