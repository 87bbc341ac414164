import KeelCrypto

/// A validator registered at genesis.
public struct GenesisValidator: Hashable, Sendable {
    public var publicKey: PublicKey
    public var withdrawalAddress: Address
    public var stake: Stake
    /// The tip of the validator's RANDAO hash chain.
    public var randaoCommitment: Root

    public init(publicKey: PublicKey, withdrawalAddress: Address, stake: Stake, randaoCommitment: Root) {
        self.publicKey = publicKey
        self.withdrawalAddress = withdrawalAddress
        self.stake = stake
        self.randaoCommitment = randaoCommitment
    }
}

/// Everything a chain starts from. Its canonical encoding's hash is the genesis root, which
/// every signature binds (`computeSigningRoot`), so two different configs are two chains.
public struct GenesisConfig: Hashable, Sendable {
    public var preset: Preset
    public var genesisTimeMs: UInt64
    public var validators: [GenesisValidator]
    /// Funded accounts, in ascending address order.
    public var accounts: [Address: Stake]
    /// Pre-deployed programs (`.kvm` bytes) by address.
    public var programs: [Address: [UInt8]]
    /// The key whose signatures the stub proof system accepts as transition proofs; `nil`: this
    /// chain names no prover.
    public var proverKey: PublicKey?

    public init(
        preset: Preset, genesisTimeMs: UInt64, validators: [GenesisValidator],
        accounts: [Address: Stake] = [:], programs: [Address: [UInt8]] = [:], proverKey: PublicKey? = nil
    ) {
        self.preset = preset
        self.genesisTimeMs = genesisTimeMs
        self.validators = validators
        self.accounts = accounts
        self.programs = programs
        self.proverKey = proverKey
    }

    /// SHA-256 over the config in a fixed order: time, preset, validators, then accounts and
    /// programs sorted by address, then the prover key (one byte, 0 for none or 1 for one,
    /// followed by its 32 x-only bytes when there is one).
    ///
    /// The prover key is in the root because it decides which proofs the chain accepts: two
    /// configs that differ only in their prover are two chains. The presence byte keeps "no
    /// prover" distinct from every key.
    public var genesisRoot: Root {
        var writer = ByteWriter()
        writer.write(genesisTimeMs)
        preset.encode(to: &writer)
        writer.write(UInt64(validators.count))
        for validator in validators {
            writer.write(validator.publicKey.bytes)
            writer.write(validator.withdrawalAddress.hash)
            validator.stake.encode(to: &writer)
            writer.write(validator.randaoCommitment)
        }
        writer.write(UInt64(accounts.count))
        for address in accounts.keys.sorted() {
            writer.write(address.hash)
            accounts[address]!.encode(to: &writer)
        }
        writer.write(UInt64(programs.count))
        for address in programs.keys.sorted() {
            writer.write(address.hash)
            writer.writeLengthPrefixed(programs[address]!)
        }
        let lengthBeforeProver = writer.bytes.count
        if let proverKey {
            writer.write(UInt8(1))
            writer.write(proverKey.bytes)
        } else {
            writer.write(UInt8(0))
        }
        precondition(writer.bytes.count - lengthBeforeProver == (proverKey == nil ? 1 : 1 + PublicKey.byteCount),
                     "the prover is a presence byte, then the key's 32 bytes when present")
        return SHA256.hash(writer.bytes)
    }
}

extension Preset {
    /// Every preset value in declaration order (`Preset.fields`): part of the genesis root, so
    /// nodes with different presets are on different chains.
    func encode(to writer: inout ByteWriter) {
        for field in Self.fields { writer.write(self[keyPath: field.keyPath]) }
    }
}
