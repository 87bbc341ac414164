import KeelChain
import KeelCrypto

/// Everything a ``Node`` needs to start: the chain, where it stores data, the network and the
/// validators it runs.
public struct NodeConfig: Sendable {
    /// The genesis file (its time may be overridden through ``genesisTimeMs``).
    public var genesis: GenesisFile
    /// Unix time of slot 0 in milliseconds; defaults to the genesis file's.
    public var genesisTimeMs: UInt64
    /// The directory holding the chain and slashing-protection databases; it must exist.
    public var dataDirectory: String
    /// The host to listen on.
    public var listenHost: String = "127.0.0.1"
    /// The port to listen on; 0 picks a free port.
    public var listenPort: Int = 0
    /// Peers to dial.
    public var peers: [PeerAddress] = []
    /// The devnet validator indices this node runs (keys from `DevnetKeys`): a shortcut for
    /// ``validatorKeys`` on devnets.
    public var validatorIndices: [ValidatorIndex] = []
    /// The validators this node runs, by index, with their secret keys (from a validator keys
    /// file). Together with ``validatorIndices``; see ``runValidatorKeys``.
    public var validatorKeys: [ValidatorIndex: SecretKey] = [:]
    /// Byzantine mode: skip slashing protection, double-propose and double-vote (for slashing
    /// demonstrations only).
    public var byzantine = false
    /// A file rewritten once a slot with the node's status as JSON, or nil.
    public var statusFilePath: String? = nil
    /// With a key, the node is a prover: it proves every block it imports with the **STUB**
    /// proof system (a signature by this key over each transition claim, which proves nothing
    /// about execution) and serves proofs and witnesses over the API. The key must be the one
    /// the genesis file names (`prover_key`), or the node refuses to start.
    public var proverSecretKey: SecretKey? = nil
    /// What a prover node proves blocks in: the STUB (a signature) or `keel-stark-v1` (a STARK
    /// of every VM call, spec/STARK.md §9.7).
    public var proofSystem: NodeProofSystem = .stub
    /// The network's timeouts; tests shorten them.
    public var requestTimeoutMs: Int64 = 5_000
    /// Finalized history kept in the chain database, in epochs below the finalized checkpoint:
    /// blocks, states and proofs older than that are pruned each time finality moves. Peers
    /// whose finalized checkpoint is at most this far behind can sync from this node; the API
    /// serves blocks (and proofs) this far back. The anchor (the finalized block and its state)
    /// and everything above it are always kept.
    public var finalizedHistoryEpochs: UInt64 = 16
    /// A testnet node's fault table (`faults.json` of its testnet) and its own index in it:
    /// the node watches the file and drops or delays what it sends as the table says. Nil for
    /// a node outside a testnet.
    public var faultTable: (path: String, node: Int)? = nil
    /// The API addresses of every node of this node's testnet, for the explorer (`GET /ui`).
    public var testnetAPIs: [String] = []

    /// Creates a configuration with the genesis file's time.
    public init(genesis: GenesisFile, dataDirectory: String) {
        self.genesis = genesis
        self.genesisTimeMs = genesis.genesisTimeMs
        self.dataDirectory = dataDirectory
    }

    /// Every validator the node runs: ``validatorKeys``, plus the devnet key of each index in
    /// ``validatorIndices`` that ``validatorKeys`` does not already hold.
    public var runValidatorKeys: [ValidatorIndex: SecretKey] {
        var keys = validatorKeys
        for index in validatorIndices where keys[index] == nil {
            keys[index] = DevnetKeys.secretKey(validatorIndex: index.rawValue)
        }
        precondition(keys.count >= validatorKeys.count, "the devnet shortcut only adds validators")
        return keys
    }
}
