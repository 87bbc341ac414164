import Foundation
import KeelChain
import KeelCrypto

/// The secret keys of the validators one node runs, as a JSON file (README, "Validator keys
/// file"): `{"version":1,"keys":[{"index":0,"secret_key":"<64 hex digits>"}]}`.
///
/// `keel testnet` writes one per node; `keel node --validator-keys FILE` loads it and checks it
/// against the genesis file with ``validate(against:)`` before starting, so a key that genesis
/// did not register is a startup error rather than a validator that silently never signs.
///
/// - Important: The file holds secrets: ``write(path:)`` creates it with mode 0600, and
///   `SecretKey`'s description is redacted so entries never reach logs.
public struct ValidatorKeysFile: Sendable, Equatable {
    /// One validator: its index in the genesis registry and its secret key.
    public struct Entry: Sendable, Equatable {
        /// The validator's index in the genesis registry.
        public var index: ValidatorIndex
        /// The validator's secret key.
        public var secretKey: SecretKey

        /// Creates an entry.
        public init(index: ValidatorIndex, secretKey: SecretKey) {
            self.index = index
            self.secretKey = secretKey
        }

        /// Equal index and equal secret bytes. `SecretKey` is not `Equatable`, and comparing
        /// public keys would not do: d and n - d share one x-only public key.
        public static func == (lhs: Entry, rhs: Entry) -> Bool {
            lhs.index == rhs.index && lhs.secretKey.bytes == rhs.secretKey.bytes
        }
    }

    /// The format version this build reads and writes.
    public static let version: UInt64 = 1
    /// The most entries a file may hold: a node never runs more validators than a genesis holds.
    public static let keyCountMax = GenesisFile.validatorCountMax
    /// The largest file ``load(path:)`` reads (16 MiB, above ``keyCountMax`` entries of about
    /// 100 bytes), so a wrong path cannot fill memory.
    public static let byteCountMax: UInt64 = 16 << 20

    /// The validators, in file order.
    public var entries: [Entry]

    /// Creates a file of `entries`; ``write(path:)`` and ``validate(against:)`` check them.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The well-known devnet keys (`DevnetKeys`) of `indices`, in the order given.
    ///
    /// - Important: Devnet keys are public knowledge; use them on devnets only.
    public static func devnet(indices: [ValidatorIndex]) -> ValidatorKeysFile {
        let file = ValidatorKeysFile(entries: indices.map {
            Entry(index: $0, secretKey: DevnetKeys.secretKey(validatorIndex: $0.rawValue))
        })
        precondition(file.entries.count == indices.count, "one entry per index")
        return file
    }

    /// The keys by validator index, as `NodeConfig.validatorKeys` takes them.
    ///
    /// - Precondition: No index repeats (``load(path:)`` and ``validate(against:)`` ensure it).
    public var keys: [ValidatorIndex: SecretKey] {
        let keys = Dictionary(entries.map { ($0.index, $0.secretKey) }, uniquingKeysWith: { first, _ in first })
        precondition(keys.count == entries.count, "validator indices are unique")
        return keys
    }

    /// Checks that the file fits `genesis`: at least one entry, no repeated index, every
    /// index a genesis validator whose registered public key is the entry's, and whose RANDAO
    /// commitment the chain derived from the key (`DevnetGenesis.randaoChain(secretKey:length:)`)
    /// opens.
    ///
    /// The RANDAO check hashes `genesis.randaoChainLength` times per key, the same work the node
    /// does anyway to build its chains at startup (well under a second for devnet lengths).
    ///
    /// - Parameter genesis: The genesis file the node runs.
    /// - Throws: `ValidatorKeysFileError` naming the first entry that does not fit.
    public func validate(against genesis: GenesisFile) throws(ValidatorKeysFileError) {
        try checkShape()
        for (position, entry) in entries.enumerated() {
            let field = "keys[\(position)]"
            guard entry.index.rawValue < UInt64(genesis.validators.count) else {
                throw ValidatorKeysFileError(
                    field: field + ".index", reason: .indexOutOfRange(validatorCount: genesis.validators.count))
            }
            let registered = genesis.validators[Int(entry.index.rawValue)]
            guard registered.publicKey == entry.secretKey.publicKey else {
                throw ValidatorKeysFileError(
                    field: field + ".secret_key",
                    reason: .publicKeyMismatch(expected: registered.publicKey.hex, actual: entry.secretKey.publicKey.hex))
            }
            let chain = DevnetGenesis.randaoChain(secretKey: entry.secretKey, length: genesis.randaoChainLength)
            guard chain.commitment == registered.randaoCommitment else {
                throw ValidatorKeysFileError(field: field + ".secret_key", reason: .randaoCommitmentMismatch)
            }
        }
    }

    /// The checks that need no genesis: not empty, not too many, no repeated index.
    func checkShape() throws(ValidatorKeysFileError) {
        guard !entries.isEmpty else { throw ValidatorKeysFileError(field: "keys", reason: .noKeys) }
        guard entries.count <= Self.keyCountMax else {
            throw ValidatorKeysFileError(field: "keys", reason: .tooManyKeys(count: entries.count, limit: Self.keyCountMax))
        }
        var firstEntry: [ValidatorIndex: Int] = [:]
        for (position, entry) in entries.enumerated() {
            if let first = firstEntry[entry.index] {
                throw ValidatorKeysFileError(field: "keys[\(position)].index", reason: .repeatedIndex(firstEntry: first))
            }
            firstEntry[entry.index] = position
        }
        precondition(firstEntry.count == entries.count, "every index was seen once")
    }
}
