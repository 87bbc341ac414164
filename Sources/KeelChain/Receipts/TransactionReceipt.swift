import KeelCrypto
import KeelVM

/// What one transaction of a block did. Receipts are not committed to by the block: they are
/// recomputed from the block and its pre-state (``ChainState/transactionReceipts(of:)``), so
/// anyone holding both (a full node, or a light node with the block's witness) gets the same.
public struct TransactionReceipt: Hashable, Sendable {
    /// The signed transaction's root: the one `POST /transactions` answers and blocks list.
    public var transactionRoot: Root
    /// The transaction's position in its block's transaction list.
    public var index: Int
    public var sender: Address
    public var nonce: UInt64
    /// The fee charged: all of the transaction's fee, whatever the outcome.
    public var feePaid: Stake
    public var effect: TransactionEffect

    public init(transactionRoot: Root, index: Int, sender: Address, nonce: UInt64, feePaid: Stake, effect: TransactionEffect) {
        precondition(index >= 0, "a position is never negative")
        self.transactionRoot = transactionRoot
        self.index = index
        self.sender = sender
        self.nonce = nonce
        self.feePaid = feePaid
        self.effect = effect
    }

    /// Whether the transaction did what it asked: false only for a call whose program faulted
    /// (it still paid its fee, and the program's storage is as it was).
    public var succeeded: Bool {
        if case let .called(call) = effect, call.result.status != .halted { return false }
        return true
    }
}

extension ChainState {
    /// The receipts of `block`'s transactions, in block order, recomputed by applying the block
    /// to this state, its pre-state (its parent's post-state), without checking signatures: a
    /// block that was imported has had them checked.
    ///
    /// - Throws: `BlockProcessingError` when the block does not apply to this state (a wrong
    ///   pre-state, or a block that was never valid).
    public func transactionReceipts(of block: Block) throws(BlockProcessingError) -> [TransactionReceipt] {
        guard !block.body.transactions.isEmpty else { return [] }
        var state = self
        if state.slot < block.slot {
            do { try state.processSlots(block.slot) } catch { throw .slots(error) }
        }
        var verifier = SignatureVerifier(.skip)
        let effects = try state.processBlock(block, verifier: &verifier)
        precondition(effects.count == block.body.transactions.count, "one effect a transaction")
        return zip(block.body.transactions, effects).enumerated().map { index, pair in
            let (signed, effect) = pair
            return TransactionReceipt(
                transactionRoot: signed.hashTreeRoot, index: index, sender: signed.message.sender, nonce: signed.message.nonce,
                feePaid: signed.message.fee, effect: effect)
        }
    }
}
