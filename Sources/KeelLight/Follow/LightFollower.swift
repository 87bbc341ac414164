import KeelChain
import KeelCrypto
import KeelFormats
import KeelProof

/// A light node following one node: fetches what is new since the last verified block, checks
/// it with ``LightChain`` and reports each block with the time its state-root check took.
public struct LightFollower: Sendable {
    /// The most blocks walked back from the node's head to find a verified ancestor.
    public static let walkBackDepthMax = 100_000
    /// How many times ``account(_:)`` asks again when the node answers from a newer head.
    public static let accountAttemptsMax = 20

    public let source: LightNodeSource
    public let verifier: StateRootVerifier
    public private(set) var chain: LightChain
    /// With ``StateRootVerifier/reexec``: also fetch each block's receipts and check them
    /// against the ones re-execution gives.
    public var checksReceipts = false

    public init(source: LightNodeSource, verifier: StateRootVerifier, chain: LightChain) {
        self.source = source
        self.verifier = verifier
        self.chain = chain
    }

    /// The light chain anchored at genesis: the whole genesis state, built from the file.
    public static func genesisChain(_ file: GenesisFile) throws(LightFollowError) -> LightChain {
        do { return LightChain(genesis: try ChainState.genesis(file.config)) } catch { throw .anchor("genesis: \(error)") }
    }

    /// The light chain anchored at a block the user trusts: its registry proof, opened against
    /// its state root, gives the validators; the attestations of up to two epochs of its
    /// ancestors are counted, as epoch processing after the anchor will count them.
    public static func checkpointChain(
        _ root: Root, genesis: GenesisConfig, source: LightNodeSource
    ) async throws(LightFollowError) -> LightChain {
        let block = try await source.block(root)
        let registry: ChainState
        do {
            registry = try await source.registry(root).open(root: block.message.stateRoot, preset: genesis.preset)
        } catch let error as LightFollowError {
            throw error
        } catch {
            throw .anchor("the registry proof of \(root.hex) does not open: \(error)")
        }
        // The anchor is trusted to be a block of the chain, not of any chain: it must be this
        // genesis's.
        guard registry.genesisRoot == genesis.genesisRoot else {
            throw .anchor("block \(root.hex) is on the chain of genesis \(registry.genesisRoot.hex), not \(genesis.genesisRoot.hex)")
        }
        var chain = LightChain(anchorRoot: root, anchorSlot: block.message.slot, stateRoot: block.message.stateRoot, registry: registry)
        let slotsPerEpoch = genesis.preset.slotsPerEpoch
        let oldestSlot = block.message.slot.rawValue >= 2 * slotsPerEpoch ? block.message.slot.rawValue - 2 * slotsPerEpoch : 0
        var ancestors = [block]
        while let last = ancestors.last, last.message.slot.rawValue > max(oldestSlot, 1) {
            let ancestor: SignedBlock
            do {
                ancestor = try await source.block(last.message.parentRoot)
            } catch {
                // The genesis block, or one the node pruned: there are no older votes to count.
                if case .http(.status(404, _, _)) = error { break }
                throw error
            }
            guard ancestor.message.slot.rawValue > 0 else { break }
            ancestors.append(ancestor)
        }
        do { try chain.seedVotes(from: ancestors.reversed()) } catch { throw .anchor("\(error)") }
        return chain
    }

    /// Verifies every block between the last verified one and the node's head, oldest first,
    /// calling `report` after each with the time its checks took (signatures, votes and the
    /// state root), not counting the fetches.
    ///
    /// - Returns: the number of blocks verified.
    @discardableResult
    public mutating func catchUp(report: (LightBlockReport, Duration) -> Void) async throws(LightFollowError) -> Int {
        let head = try await source.headRoot()
        var pending: [SignedBlock] = []
        var cursor = head
        while !chain.isVerified(cursor) {
            guard pending.count < Self.walkBackDepthMax else { throw .disconnected(head: head, depth: pending.count) }
            let block = try await source.block(cursor)
            pending.append(block)
            cursor = block.message.parentRoot
        }
        for block in pending.reversed() {
            let root = block.message.hashTreeRoot
            var data = LightBlockData(block: block)
            switch verifier {
            case .proof:
                data.proof = try await source.proof(root)
                data.registry = try await source.registry(root)
            case .reexec:
                data.witness = try await source.witness(root)
                if checksReceipts { data.receipts = try await source.receipts(root) }
            }
            let clock = ContinuousClock()
            let start = clock.now
            let result: LightBlockReport
            do { result = try chain.verify(data, with: verifier) } catch {
                throw .rejected(slot: block.message.slot, root: root, error)
            }
            report(result, clock.now - start)
        }
        return pending.count
    }

    /// Checks the node's answer for `address` against a state root this light node verified,
    /// catching up first when the node answers from a newer state.
    public mutating func account(_ address: Address) async throws(LightFollowError) -> (LightAccountClaim, LightVerifiedBlock) {
        // The node answers from its head, which may move between catching up and asking (every
        // slot on a devnet), so this retries a bounded number of times.
        for _ in 0..<Self.accountAttemptsMax {
            let claim = try await source.account(address)
            if let verified = chain.blocks.values.first(where: { $0.stateRoot == claim.stateRoot }) {
                guard claim.proofHolds else { throw .accountProofInvalid(address) }
                return (claim, verified)
            }
            try await catchUp { _, _ in }
        }
        throw .accountRootNotVerified(try await source.account(address).stateRoot)
    }
}
