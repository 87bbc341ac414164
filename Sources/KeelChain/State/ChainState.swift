import KeelCrypto

/// The whole consensus and execution state (phase0 `BeaconState`, plus accounts and programs).
///
/// A value type: the state transition takes it `inout`, the fork choice keeps one per block,
/// and copies share storage until written. The state root (`ChainState+StateRoot.swift`) is a
/// sparse Merkle tree over every field, brought up to date from the touched entries only.
public struct ChainState: Sendable {
    // Versioning
    /// The network's parameters.
    public var preset: Preset
    /// Milliseconds since the Unix epoch at slot 0 (time enters the core only as slots).
    public var genesisTimeMs: UInt64
    /// Binds every signature to this chain (phase0 `genesis_validators_root`).
    public var genesisRoot: Root
    public var slot: Slot

    // History
    public var latestBlockHeader: BlockHeader
    public var blockRoots: [Root]
    public var stateRoots: [Root]

    // Registry
    /// Written only inside KeelChain: replacing a tracked collection wholesale would leave stale
    /// leaves in the state tree, so other modules may read it but not assign it.
    public internal(set) var validators: TrackedList<Validator>

    // Randomness
    public var randaoMixes: [Root]

    // Slashings
    public var slashings: [Stake]

    // Attestations
    public var previousEpochAttestations: [PendingAttestation] { didSet { pendingListRoots.previous = nil } }
    public var currentEpochAttestations: [PendingAttestation] { didSet { pendingListRoots.current = nil } }

    // Finality
    /// Bit 0 is the most recent epoch (phase0 `justification_bits`).
    public var justificationBits: [Bool]
    public var previousJustifiedCheckpoint: Checkpoint
    public var currentJustifiedCheckpoint: Checkpoint
    public var finalizedCheckpoint: Checkpoint

    // Execution
    public internal(set) var accounts: TrackedMap<Address, Account>
    public internal(set) var programs: TrackedMap<Address, ProgramAccount>

    /// The Merkle tree over the fields above as of the last `hashTreeRoot()`; not part of the
    /// state's identity (it is derived from the fields). Partial in a state opened from a
    /// witness (`ChainState+Stateless.swift`).
    var stateTree = StateTree.full(SparseMerkleTree())

    /// The leaf values of the two pending-attestation lists as of the last `hashTreeRoot()`,
    /// nil once the list is written; not part of the state's identity. Encoding and hashing
    /// 10,000 pending attestations costs milliseconds, and most roots find a list unchanged
    /// (every empty slot's, and the previous epoch's list after the epoch boundary).
    var pendingListRoots: (previous: Hash32?, current: Hash32?) = (nil, nil)

    /// The trace of the transition under way, when a prover or a stateless verifier asked for
    /// one (``attachAccessLog(_:)``); not part of the state's identity.
    var accessLog: StateAccessLog?

    /// What runs calls, when not the interpreter (``attachVMExecutor(_:)``); not part of the
    /// state's identity.
    var vmExecutor: (any VMExecutor)?

    public init(
        preset: Preset, genesisTimeMs: UInt64, genesisRoot: Root, validators: [Validator],
        accounts: [Address: Account], programs: [Address: ProgramAccount], latestBlockHeader: BlockHeader
    ) {
        self.preset = preset
        self.genesisTimeMs = genesisTimeMs
        self.genesisRoot = genesisRoot
        self.slot = Constants.genesisSlot
        self.latestBlockHeader = latestBlockHeader
        self.blockRoots = Array(repeating: .zero, count: Int(preset.slotsPerHistoricalRoot))
        self.stateRoots = Array(repeating: .zero, count: Int(preset.slotsPerHistoricalRoot))
        self.validators = TrackedList(validators)
        self.randaoMixes = Array(repeating: genesisRoot, count: Int(preset.epochsPerHistoricalVector))
        self.slashings = Array(repeating: .zero, count: Int(preset.epochsPerSlashingsVector))
        self.previousEpochAttestations = []
        self.currentEpochAttestations = []
        self.justificationBits = Array(repeating: false, count: Constants.justificationBitsLength)
        let genesisCheckpoint = Checkpoint(epoch: Constants.genesisEpoch, root: .zero)
        self.previousJustifiedCheckpoint = genesisCheckpoint
        self.currentJustifiedCheckpoint = genesisCheckpoint
        self.finalizedCheckpoint = genesisCheckpoint
        self.accounts = TrackedMap(accounts)
        self.programs = TrackedMap(programs)
    }
}
