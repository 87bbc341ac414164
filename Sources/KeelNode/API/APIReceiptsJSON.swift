import KeelFormats

/// `GET /transactions/{root}`.
struct APITransactionStatusJSON: Encodable {
    var transactionRoot: String
    /// `pending`, `included` or `unknown`.
    var status: String
    /// For `included`: whether the including block is on the head's chain (false: only a
    /// fork's block holds it).
    var canonical: Bool?
    var receipt: APIReceiptJSON?
}

/// `GET /blocks/{id}/receipts`.
struct APIBlockReceiptsJSON: Encodable {
    var blockRoot: String
    var slot: UInt64
    var receipts: [APIReceiptJSON]
}

/// `GET /programs/{address}`: a program with its Merkle proof against the head's state root,
/// as `GET /accounts/{address}` gives an account's.
struct APIProgramJSON: Encodable {
    var address: String
    var exists: Bool
    /// SHA-256 of the program's code (its `.kvm` bytes).
    var codeHash: String?
    var codeBytes: Int?
    var storage: [UInt32]?
    var slot: UInt64
    var stateRoot: String
    /// The program's leaf key in the state tree (`ChainState.StateKey.program`).
    var key: String
    /// The leaf's value hash: SHA-256 of `encoded`; null when there is no program.
    var valueHash: String?
    /// `ProgramAccount.encoded` (code, then storage), hex: what `value_hash` hashes.
    var encoded: String?
    /// `MerkleProof.encoded`, hex.
    var proof: String
}
