import KeelCrypto

/// The state root: a sparse Merkle tree (KeelCrypto `SparseMerkleTree`) with one leaf per
/// validator, account and program, and one leaf per remaining field. A leaf's value is the
/// `hashTreeRoot` of its canonical encoding. Only entries written since the last root are
/// re-hashed, so a root costs O(touched · log n) (DESIGN.md, "State root").
extension ChainState {
    /// The leaf key of a state field: SHA-256 of a name, so keys spread over the whole tree and
    /// a light client can derive them.
    public enum StateKey {
        public static func field(_ name: String) -> Hash32 { SHA256.hash(Array("keel/state/\(name)".utf8)) }

        public static func validator(_ index: ValidatorIndex) -> Hash32 {
            SHA256.hash(Array("keel/state/validator".utf8) + withUnsafeBytes(of: index.rawValue.littleEndian, Array.init))
        }

        public static func account(_ address: Address) -> Hash32 {
            SHA256.hash(Array("keel/state/account".utf8) + address.hash.bytes)
        }

        public static func program(_ address: Address) -> Hash32 {
            SHA256.hash(Array("keel/state/program".utf8) + address.hash.bytes)
        }
    }

    /// The leaf keys of the fields that are not per-entry (see `fieldLeaves()`).
    public static let fieldKeys: [Hash32] = fieldNames.map(StateKey.field)

    private static let fieldNames = [
        "header", "latest_block_header", "block_roots", "state_roots", "randao_mixes", "slashings",
        "previous_epoch_attestations", "current_epoch_attestations", "finality",
    ]

    /// phase0 `hash_tree_root(state)`: brings the tree up to date and returns its root.
    public mutating func hashTreeRoot() -> Root {
        stateTree.apply(takeLeafUpdates())
        return stateTree.root
    }

    /// The leaves written since the last root (every field leaf, and each touched validator,
    /// account and program), and forgets the touched entries.
    mutating func takeLeafUpdates() -> [(key: Hash32, valueHash: Hash32?)] {
        if pendingListRoots.previous == nil { pendingListRoots.previous = Self.listRoot(previousEpochAttestations) }
        if pendingListRoots.current == nil { pendingListRoots.current = Self.listRoot(currentEpochAttestations) }
        var updates: [(key: Hash32, valueHash: Hash32?)] = fieldLeaves()
        for index in validators.takeTouched() {
            let key = StateKey.validator(ValidatorIndex(UInt64(index)))
            updates.append((key, index < validators.count ? validators[index].hashTreeRoot : nil))
        }
        for address in accounts.takeTouched() {
            updates.append((StateKey.account(address), accounts[address]?.hashTreeRoot))
        }
        for address in programs.takeTouched() {
            updates.append((StateKey.program(address), programs[address]?.hashTreeRoot))
        }
        return updates
    }

    /// The proof of an account's leaf (inclusion, or exclusion when it has none) against
    /// `hashTreeRoot()`.
    public mutating func accountProof(_ address: Address) -> MerkleProof {
        _ = hashTreeRoot()
        return stateTree.proof(for: StateKey.account(address))
    }

    /// The proof of a program's leaf (inclusion, or exclusion when there is none) against
    /// `hashTreeRoot()`.
    public mutating func programProof(_ address: Address) -> MerkleProof {
        _ = hashTreeRoot()
        return stateTree.proof(for: StateKey.program(address))
    }

    /// The tree as of the last `hashTreeRoot()`, for proofs and witnesses.
    ///
    /// - Precondition: the state holds its whole tree (it was not opened from a witness).
    public var stateTreeSnapshot: SparseMerkleTree {
        guard case .full(let tree) = stateTree else { preconditionFailure("a state opened from a witness has no full tree") }
        return tree
    }

    /// The fields that are not per-entry, each as one leaf. They are small or change every
    /// slot, so they are re-hashed on every root.
    func fieldLeaves() -> [(key: Hash32, valueHash: Hash32?)] {
        var header = ByteWriter()
        header.write(genesisTimeMs)
        header.write(genesisRoot)
        slot.encode(to: &header)
        header.write(UInt64(validators.count))
        var finality = ByteWriter()
        for bit in justificationBits { finality.write(UInt8(bit ? 1 : 0)) }
        for checkpoint in [previousJustifiedCheckpoint, currentJustifiedCheckpoint, finalizedCheckpoint] {
            checkpoint.encode(to: &finality)
        }
        let valueHashes = [
            SHA256.hash(header.bytes),
            latestBlockHeader.hashTreeRoot,
            Self.listRoot(blockRoots),
            Self.listRoot(stateRoots),
            Self.listRoot(randaoMixes),
            Self.listRoot(slashings),
            pendingListRoots.previous ?? Self.listRoot(previousEpochAttestations),
            pendingListRoots.current ?? Self.listRoot(currentEpochAttestations),
            SHA256.hash(finality.bytes),
        ]
        precondition(valueHashes.count == Self.fieldKeys.count, "one value per field name, in order")
        return zip(Self.fieldKeys, valueHashes).map { (key: $0, valueHash: $1) }
    }

    private static func listRoot<T: CanonicalCodable>(_ list: [T]) -> Hash32 {
        var writer = ByteWriter()
        writer.write(UInt64(list.count))
        for element in list { element.encode(to: &writer) }
        return SHA256.hash(writer.bytes)
    }
}
