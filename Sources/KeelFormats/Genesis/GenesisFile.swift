import KeelChain
import KeelCrypto

/// A genesis file: everything a node needs to start a chain, as documented JSON
/// (`Genesis/README.md`).
///
/// It is a ``GenesisConfig`` (what the genesis root covers: time, preset, validators, accounts,
/// programs, the prover key) plus three things that are not chain rules but that every node of
/// one network must agree on or that people need: the slot length ``slotMs``, the RANDAO
/// hash-chain length ``randaoChainLength`` that validators build their commitments with, and
/// program names. The
/// JSON also repeats derived values (validator indices, code hashes, the genesis root) for
/// people, and ``load(path:)`` checks each against what it is derived from.
///
/// - Important: A value built by ``init(config:slotMs:randaoChainLength:programNames:)`` or
///   ``devnet(validatorCount:stake:slotMs:preset:genesisTimeMs:randaoChainLength:programs:proverKey:progress:)``
///   is valid; one assembled field by field is checked by ``validate()``, which ``write(path:)``
///   runs before writing and ``load(path:)`` after reading.
public struct GenesisFile: Hashable, Sendable {
    /// The format version this build reads and writes.
    public static let version: UInt64 = 1
    /// The shortest slot accepted, in milliseconds.
    public static let slotMsMin: UInt64 = 10
    /// The longest slot accepted, in milliseconds (one hour).
    public static let slotMsMax: UInt64 = 3_600_000
    /// The most validators a genesis file may register.
    public static let validatorCountMax = 100_000
    /// The latest genesis time accepted, in Unix milliseconds: the end of the year 9999, far
    /// inside what the slot clock computes with (`SlotClock` needs `genesisTimeMs + slot · slotMs`
    /// to fit a `UInt64`).
    public static let genesisTimeMsMax: UInt64 = 253_402_300_799_999
    /// The largest file ``load(path:)`` reads (256 MiB): a file of ``validatorCountMax``
    /// validators is about 40 MB, so this only stops a wrong path from filling memory.
    public static let byteCountMax: UInt64 = 256 << 20

    /// Unix time of slot 0, in milliseconds; 0 in a devnet template means "set when the devnet
    /// starts".
    public var genesisTimeMs: UInt64
    /// The slot length in milliseconds (node configuration: not in the genesis root).
    public var slotMs: UInt64
    /// The protocol sizes of this network.
    public var preset: Preset
    /// How many reveals each validator's RANDAO hash chain holds (validators rebuild their
    /// chains with it; not in the genesis root, which covers the commitments themselves).
    public var randaoChainLength: UInt32
    /// The validator registry, in index order.
    public var validators: [GenesisValidator]
    /// Funded accounts.
    public var accounts: [Address: Stake]
    /// Pre-deployed programs, in file order.
    public var programs: [GenesisProgram]
    /// The key whose signatures the stub proof system accepts as transition proofs (JSON
    /// `prover_key`); `nil`: this chain names no prover.
    public var proverKey: PublicKey?

    /// Creates a file from its parts; see ``validate()``.
    public init(
        genesisTimeMs: UInt64, slotMs: UInt64, preset: Preset, randaoChainLength: UInt32,
        validators: [GenesisValidator], accounts: [Address: Stake], programs: [GenesisProgram],
        proverKey: PublicKey? = nil
    ) {
        self.genesisTimeMs = genesisTimeMs
        self.slotMs = slotMs
        self.preset = preset
        self.randaoChainLength = randaoChainLength
        self.validators = validators
        self.accounts = accounts
        self.programs = programs
        self.proverKey = proverKey
    }

    /// Creates the file that describes `config`.
    ///
    /// Programs are listed by name in byte order, then by address, which is also the order in
    /// which a devnet deploys its `.kasm` files, so that file -> config -> file gives back the
    /// same file.
    ///
    /// - Parameters:
    ///   - config: The chain's genesis config.
    ///   - slotMs: The slot length in milliseconds.
    ///   - randaoChainLength: The length validators build their RANDAO chains with.
    ///   - programNames: A name for each program address; an unnamed program is named by its
    ///     address in hex.
    public init(config: GenesisConfig, slotMs: UInt64, randaoChainLength: UInt32, programNames: [Address: String] = [:]) {
        let programs = config.programs.map { address, code in
            GenesisProgram(name: programNames[address] ?? address.hash.hex, address: address, code: code)
        }
        self.init(
            genesisTimeMs: config.genesisTimeMs, slotMs: slotMs, preset: config.preset,
            randaoChainLength: randaoChainLength, validators: config.validators, accounts: config.accounts,
            programs: programs.sorted(by: GenesisProgram.precedes), proverKey: config.proverKey)
        precondition(self.config == config, "a genesis file describes exactly the config it was built from")
    }

    /// The chain's genesis config: what `ChainState.genesis` starts from.
    public var config: GenesisConfig {
        var code: [Address: [UInt8]] = [:]
        for program in programs {
            code[program.address] = program.code
        }
        return GenesisConfig(
            preset: preset, genesisTimeMs: genesisTimeMs, validators: validators, accounts: accounts, programs: code,
            proverKey: proverKey)
    }

    /// The genesis root of ``config``, which every signature on the chain binds.
    public var genesisRoot: Root { config.genesisRoot }

    /// Each program's name by address.
    public var programNames: [Address: String] {
        Dictionary(programs.map { ($0.address, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
