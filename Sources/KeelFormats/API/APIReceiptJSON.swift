import KeelChain
import KeelCrypto
import KeelVM

/// A transaction receipt as the API serves it (`GET /transactions/{root}`,
/// `GET /blocks/{id}/receipts`) and `keel tx` prints it; the node also stores receipts in this
/// form. Fields beyond the common ones appear by `kind`.
public struct APIReceiptJSON: Codable, Hashable, Sendable {
    /// The signed transaction's root, as `POST /transactions` answers and blocks list it.
    public var transactionRoot: String
    /// The including block.
    public var blockRoot: String
    public var slot: UInt64
    /// Position in the block's transaction list.
    public var index: Int
    public var sender: String
    public var nonce: UInt64
    /// `transfer`, `deploy`, `call`, `deposit` or `exit`.
    public var kind: String
    /// `success`, or `fault` for a call whose program faulted (fee kept, storage reverted).
    public var status: String
    /// Decimal string, as every amount.
    public var feePaid: String
    /// Deploy: the new program's address; call: the program called.
    public var program: String?
    /// Deposit: the validator created or topped up; exit: the validator exiting.
    public var validatorIndex: UInt64?
    /// Deposit: whether a new validator was created (false: an existing one was topped up).
    public var validatorCreated: Bool?
    /// Call: the VM's steps.
    public var steps: UInt64?
    /// Call: the output cells.
    public var output: [UInt32]?
    /// Call: the fault (`memory_out_of_bounds`, `jump_out_of_bounds`, `frame_out_of_bounds`,
    /// `step_limit`), null when the program halted.
    public var fault: String?
    /// Call: the instruction the run ended at (the faulting one, or the code length on a halt).
    public var pc: UInt32?
    /// Call: the storage cells the call changed (none on a fault).
    public var storageChanges: [APIStorageChangeJSON]?

    /// The receipt of a transaction included in block `blockRoot` at `slot`.
    public init(_ receipt: TransactionReceipt, blockRoot: Root, slot: Slot) {
        transactionRoot = receipt.transactionRoot.hex
        self.blockRoot = blockRoot.hex
        self.slot = slot.rawValue
        index = receipt.index
        sender = receipt.sender.hash.hex
        nonce = receipt.nonce
        status = receipt.succeeded ? "success" : "fault"
        feePaid = String(receipt.feePaid.rawValue)
        switch receipt.effect {
        case .transferred:
            kind = "transfer"
        case let .deployed(address):
            kind = "deploy"
            program = address.hash.hex
        case let .called(call):
            kind = "call"
            program = call.program.hash.hex
            steps = call.result.steps
            output = call.result.output
            pc = call.result.pc
            if case let .fault(reason) = call.result.status { fault = reason.rawValue }
            storageChanges = call.storageChanges.map(APIStorageChangeJSON.init)
        case let .deposited(validator, created):
            kind = "deposit"
            validatorIndex = validator.rawValue
            validatorCreated = created
        case let .exitInitiated(validator):
            kind = "exit"
            validatorIndex = validator.rawValue
        }
    }
}

/// One storage cell a call changed.
public struct APIStorageChangeJSON: Codable, Hashable, Sendable {
    public var cell: UInt32
    public var before: UInt32
    public var after: UInt32

    public init(_ change: StorageChange) {
        cell = change.cell
        before = change.before
        after = change.after
    }
}

/// `GET /transactions/{root}`.
public struct APITransactionStatusJSON: Codable, Sendable {
    public var transactionRoot: String
    /// `pending`, `included` or `unknown`.
    public var status: String
    /// For `included`: whether the including block is on the head's chain (false: only a
    /// fork's block holds it).
    public var canonical: Bool?
    public var receipt: APIReceiptJSON?

    public init(transactionRoot: String, status: String, canonical: Bool?, receipt: APIReceiptJSON?) {
        self.transactionRoot = transactionRoot
        self.status = status
        self.canonical = canonical
        self.receipt = receipt
    }
}

/// `GET /blocks/{id}/receipts`.
public struct APIBlockReceiptsJSON: Codable, Sendable {
    public var blockRoot: String
    public var slot: UInt64
    public var receipts: [APIReceiptJSON]

    public init(blockRoot: String, slot: UInt64, receipts: [APIReceiptJSON]) {
        self.blockRoot = blockRoot
        self.slot = slot
        self.receipts = receipts
    }
}
