import KeelChain
import KeelCrypto

/// Public and decodable, as the other answers light nodes read: `keel light` decodes these
/// same types, so the server and its client cannot drift apart.
public struct APIHeadJSON: Codable, Sendable {
    public var slot: UInt64
    public var epoch: UInt64
    public var root: String
    public var stateRoot: String

    public init(slot: UInt64, epoch: UInt64, root: String, stateRoot: String) {
        self.slot = slot
        self.epoch = epoch
        self.root = root
        self.stateRoot = stateRoot
    }
}

public struct APICheckpointJSON: Codable, Sendable {
    public var epoch: UInt64
    public var root: String

    public init(_ checkpoint: Checkpoint) {
        epoch = checkpoint.epoch.rawValue
        root = checkpoint.root.hex
    }
}

public struct APIFinalityJSON: Codable, Sendable {
    public var justified: APICheckpointJSON
    public var finalized: APICheckpointJSON

    public init(justified: APICheckpointJSON, finalized: APICheckpointJSON) {
        self.justified = justified
        self.finalized = finalized
    }
}

public struct APIAccountJSON: Codable, Sendable {
    public var address: String
    public var exists: Bool
    public var balance: String
    public var nonce: UInt64
    public var slot: UInt64
    public var stateRoot: String
    /// The account's leaf key in the state tree (`ChainState.StateKey.account`).
    public var key: String
    /// The leaf's value hash (the account's `hashTreeRoot`), `null` when the account does not exist.
    public var valueHash: String?
    /// `MerkleProof.encoded`, hex.
    public var proof: String

    public init(
        address: String, exists: Bool, balance: String, nonce: UInt64, slot: UInt64, stateRoot: String, key: String,
        valueHash: String?, proof: String
    ) {
        self.address = address
        self.exists = exists
        self.balance = balance
        self.nonce = nonce
        self.slot = slot
        self.stateRoot = stateRoot
        self.key = key
        self.valueHash = valueHash
        self.proof = proof
    }

    public enum CodingKeys: String, CodingKey {
        case address, exists, balance, nonce, slot, stateRoot, key, valueHash, proof
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(address, forKey: .address)
        try container.encode(exists, forKey: .exists)
        try container.encode(balance, forKey: .balance)
        try container.encode(nonce, forKey: .nonce)
        try container.encode(slot, forKey: .slot)
        try container.encode(stateRoot, forKey: .stateRoot)
        try container.encode(key, forKey: .key)
        try container.encode(valueHash, forKey: .valueHash)
        try container.encode(proof, forKey: .proof)
    }
}

