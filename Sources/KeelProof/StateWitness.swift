import KeelChain
import KeelCrypto

/// Part of a state, provable against its root: the entries (every field and every validator,
/// and some accounts and programs) and a multiproof of the tree reaching each of them and any
/// other key the holder will touch.
///
/// Two uses:
/// - a **block witness**: the pre-state of a block, cut to what the block reads or writes
///   (``BlockWitnessBuilder``), from which ``StatelessReexecution`` re-executes the block with
///   no other state;
/// - a **registry proof**: a post-state's fields and validators (``registry(of:)``), from which
///   a light node learns the validator set and the finality checkpoints behind a root it has
///   verified.
///
/// The entries are a ``ChainState`` holding only those accounts and programs, in the state's
/// own canonical encoding; the state's preset is not in its root, so ``open(root:preset:)``
/// takes the trusted one and refuses a witness that carries another.
public struct StateWitness: Sendable {
    public let entries: ChainState
    public let multiproof: MerkleWitness

    /// The largest multiproof this build decodes (its nodes are at most 65 bytes, a few per
    /// touched key).
    public static let multiproofByteCountMax: UInt64 = 256 << 20

    public init(entries: ChainState, multiproof: MerkleWitness) {
        self.entries = entries
        self.multiproof = multiproof
    }

    /// Cuts a witness from a state holding its whole tree: every field and the validators
    /// `0 ..< max(state's count, validatorCount)` (a block that registers validators writes
    /// keys past the end), and the named accounts and programs, present or absent.
    public static func cut(
        from state: ChainState, accounts: [Address], programs: [Address], validatorCount: Int = 0
    ) -> StateWitness {
        var full = state
        _ = full.hashTreeRoot()
        var keys = ChainState.fieldKeys
        for index in 0..<max(full.validators.count, validatorCount) {
            keys.append(ChainState.StateKey.validator(ValidatorIndex(UInt64(index))))
        }
        keys += accounts.map(ChainState.StateKey.account)
        keys += programs.map(ChainState.StateKey.program)
        return StateWitness(
            entries: full.restricted(toAccounts: accounts, programs: programs),
            multiproof: full.stateTreeSnapshot.witness(for: keys))
    }

    /// The registry proof of `state`: its fields and validators, no accounts or programs.
    public static func registry(of state: ChainState) -> StateWitness {
        cut(from: state, accounts: [], programs: [])
    }

    /// Checks the witness against a trusted root and opens the state it holds.
    ///
    /// - Returns: A state whose root is `root`, holding the witness's entries over the partial
    ///   tree; re-executing on it records keys the witness does not reach (``ChainState/uncoveredKeys``).
    /// - Throws: ``StateWitnessError`` when the witness is for another preset, its multiproof does
    ///   not hash to `root`, or an entry is missing from it or altered.
    public func open(root: Root, preset: Preset) throws(StateWitnessError) -> ChainState {
        guard entries.preset == preset else { throw .presetMismatch }
        let tree: PartialMerkleTree
        do { tree = try multiproof.partialTree(root: root) } catch { throw .multiproof(error) }
        do { return try ChainState(opening: entries, tree: tree) } catch { throw .entries(error) }
    }

    // MARK: Encoding

    /// The entries' state encoding, then the multiproof's encoding with a `UInt32` length.
    public var encoded: [UInt8] {
        var writer = ByteWriter()
        entries.encode(to: &writer)
        writer.writeLengthPrefixed(multiproof.encoded)
        return writer.finish()
    }

    /// Decodes a witness; the result still has to be checked with ``open(root:preset:)``.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = ByteReader(bytes)
        let entries = try ChainState(from: &reader)
        let proofBytes = try reader.readLengthPrefixedBytes("StateWitness.multiproof", limit: Self.multiproofByteCountMax)
        try reader.expectEnd(of: "StateWitness")
        do {
            multiproof = try MerkleWitness(decoding: proofBytes)
        } catch {
            throw .invalidValue(field: "StateWitness.multiproof", reason: "\(error)")
        }
        self.entries = entries
    }
}

/// Why a witness does not open against a root.
public enum StateWitnessError: Error, Hashable, Sendable, CustomStringConvertible {
    case presetMismatch
    case multiproof(MerkleWitnessError)
    case entries(StateOpeningError)

    public var description: String {
        switch self {
        case .presetMismatch: "the witness's state has another preset than this chain's"
        case .multiproof(let error): "the witness's multiproof does not match the state root: \(error)"
        case .entries(let error): "\(error)"
        }
    }
}
