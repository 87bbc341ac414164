import KeelCrypto

/// Deterministic devnet material: keys, withdrawal accounts and RANDAO hash chains derived from
/// the validator index, so any node or test can rebuild them.
public enum DevnetGenesis {
    /// The seed of validator `index`'s RANDAO hash chain: SHA-256 of a tag and its secret key.
    public static func randaoSeed(validatorIndex: UInt64) -> Hash32 {
        randaoSeed(secretKey: DevnetKeys.secretKey(validatorIndex: validatorIndex))
    }

    /// The seed of the RANDAO hash chain of the validator holding `secretKey`: SHA-256 of a tag
    /// and the key's bytes.
    ///
    /// Derived from the key rather than stored beside it, so a validator keys file (which holds
    /// only secret keys) is enough to rebuild the chain whose commitment genesis registered.
    public static func randaoSeed(secretKey: SecretKey) -> Hash32 {
        SHA256.hash(Array("keel/devnet/randao".utf8) + secretKey.bytes)
    }

    /// The RANDAO hash chain of `length` elements of the validator holding `secretKey`.
    public static func randaoChain(secretKey: SecretKey, length: UInt32) -> HashChain {
        HashChain(seed: randaoSeed(secretKey: secretKey), length: length)
    }

    /// Validator `index`'s RANDAO hash chain of `length` elements.
    public static func randaoChain(validatorIndex: UInt64, length: UInt32) -> HashChain {
        HashChain(seed: randaoSeed(validatorIndex: validatorIndex), length: length)
    }

    /// A devnet config: `validatorCount` validators with `stake` each (withdrawing to an account
    /// of the validator's own key, funded with `accountBalance` for fees), `programs`, and
    /// `proverKey`, which by default is the well-known devnet prover
    /// (``DevnetKeys/proverSecretKey``), so a devnet accepts stub proofs any process can sign.
    public static func config(
        validatorCount: Int, preset: Preset = .devnet, genesisTimeMs: UInt64, stake: Stake? = nil,
        randaoChainLength: UInt32, accountBalance: Stake = Stake(1_000_000_000_000), programs: [Address: [UInt8]] = [:],
        proverKey: PublicKey? = DevnetKeys.proverSecretKey.publicKey
    ) -> GenesisConfig {
        var validators: [GenesisValidator] = []
        var accounts: [Address: Stake] = [:]
        for index in 0..<UInt64(validatorCount) {
            let key = DevnetKeys.secretKey(validatorIndex: index).publicKey
            let address = Address(key)
            validators.append(GenesisValidator(
                publicKey: key, withdrawalAddress: address, stake: stake ?? preset.maxEffectiveStake,
                randaoCommitment: randaoChain(validatorIndex: index, length: randaoChainLength).commitment))
            accounts[address] = accountBalance
        }
        return GenesisConfig(
            preset: preset, genesisTimeMs: genesisTimeMs, validators: validators, accounts: accounts, programs: programs,
            proverKey: proverKey)
    }
}
