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

    /// phase0 `hash_tree_root(state)`: brings the tree up to date and returns its root.
    public mutating func hashTreeRoot() -> Root {
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
        stateTree.update(updates)
        return stateTree.root
    }

    /// The proof of an account's leaf (inclusion, or exclusion when it has none) against
    /// `hashTreeRoot()`.
    public mutating func accountProof(_ address: Address) -> MerkleProof {
        _ = hashTreeRoot()
        return stateTree.proof(for: StateKey.account(address))
    }

    /// The tree as of the last `hashTreeRoot()`, for proofs and witnesses.
    public var stateTreeSnapshot: SparseMerkleTree { stateTree }

    /// The fields that are not per-entry, each as one leaf. They are small or change every
    /// slot, so they are re-hashed on every root.
    private func fieldLeaves() -> [(key: Hash32, valueHash: Hash32?)] {
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
        return [
            (StateKey.field("header"), SHA256.hash(header.bytes)),
            (StateKey.field("latest_block_header"), latestBlockHeader.hashTreeRoot),
            (StateKey.field("block_roots"), Self.listRoot(blockRoots)),
            (StateKey.field("state_roots"), Self.listRoot(stateRoots)),
            (StateKey.field("randao_mixes"), Self.listRoot(randaoMixes)),
            (StateKey.field("slashings"), Self.listRoot(slashings)),
            (StateKey.field("previous_epoch_attestations"), Self.listRoot(previousEpochAttestations)),
            (StateKey.field("current_epoch_attestations"), Self.listRoot(currentEpochAttestations)),
            (StateKey.field("finality"), SHA256.hash(finality.bytes)),
        ]
    }

    private static func listRoot<T: CanonicalCodable>(_ list: [T]) -> Hash32 {
        var writer = ByteWriter()
        writer.write(UInt64(list.count))
        for element in list { element.encode(to: &writer) }
        return SHA256.hash(writer.bytes)
    }
}
