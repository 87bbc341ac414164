import KeelFormats

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
