import Foundation
import KeelChain
import KeelConsensus
import KeelCrypto
import Logging

extension Node {
    /// Identity and liveness, for ``NodeChainView``.
    public func identity() async -> NodeIdentity {
        let peers = await network?.peers() ?? []
        return NodeIdentity(
            nodeID: String(nodeID, radix: 16), version: "0.1.0", listenAddress: "\(config.listenHost):\(listenPort)",
            peerCount: peers.filter { $0.hello != nil }.count, validatorCount: core.signer.validatorCount, isSyncing: isSyncing,
            testnetAPIs: config.testnetAPIs)
    }

    /// The peers of the network, connected or handshaking.
    public func connectedPeers() async -> [PeerInfo] { await network?.peers() ?? [] }

    /// The fork-choice tree, the head and the checkpoints, taken together.
    public func forkChoice() -> ForkChoiceView {
        ForkChoiceView(
            head: core.head.root, justified: core.store.justifiedCheckpoint, finalized: core.store.finalizedCheckpoint,
            nodes: core.store.forkChoiceNodes())
    }

    /// The head, its state and the checkpoints, taken together.
    public func headSnapshot() -> HeadSnapshot {
        HeadSnapshot(
            headRoot: core.head.root, state: core.headState, justified: core.store.justifiedCheckpoint,
            finalized: core.store.finalizedCheckpoint)
    }

    /// The blocks held among `roots`.
    public func blocks(roots: [Root]) -> [SignedBlock] {
        core.blocks(roots: roots, countMax: Int(WireLimits.requestRootCountMax)) { try? self.chainDatabase.block(root: $0) }
    }

    /// The canonical (head-chain) blocks of slots `startSlot ..< startSlot + count`, in slot
    /// order (the core's walk back from the head, through the database below the store).
    public func canonicalBlocks(startSlot: Slot, count: UInt64) -> [SignedBlock] {
        core.canonicalBlocks(startSlot: startSlot, count: count, walkMax: Self.canonicalWalkMax) { try? self.chainDatabase.block(root: $0) }
    }

    /// The root of the canonical block at `slot`, nil for an empty, unknown or future slot.
    public func canonicalBlockRoot(slot: Slot) -> Root? {
        let head = core.head
        if slot == Slot(0) { return head.slot == Slot(0) ? head.root : canonicalBlocks(startSlot: slot, count: 1).first?.message.hashTreeRoot }
        return canonicalBlocks(startSlot: slot, count: 1).first?.message.hashTreeRoot
    }

    /// Where transaction `root` stands: pooled, and its stored receipts, each with whether
    /// its block is the canonical block of its slot.
    ///
    /// - Throws: The database's errors.
    public func transactionStatus(root: Root) throws -> TransactionStatus {
        let receipts = try chainDatabase.receipts(transactionRoot: root)
        let inclusions = receipts.map { receipt in
            (receipt: receipt, isCanonical: canonicalBlockRoot(slot: Slot(receipt.slot))?.hex == receipt.blockRoot)
        }
        return TransactionStatus(isPending: core.transactionPool.contains(root), inclusions: inclusions)
    }

    /// Checks a transaction against the head state (signature, nonce, fee against balance,
    /// sender), pools it and gossips it.
    ///
    /// - Returns: The signed transaction's root, the one blocks list.
    /// - Throws: `TransactionSubmissionError`, with the check that failed.
    public func submitTransaction(_ transaction: SignedTransaction) throws(TransactionSubmissionError) -> Root {
        let (verified, actions) = try core.submitTransaction(transaction)
        perform(actions)
        return verified.root
    }

    /// Rewrites the status file (if configured) atomically: one JSON object with the slot, the
    /// head, the justified and finalized checkpoints, the peer count, the P2P and API ports, the
    /// number of validators run and the last problem logged (`keel testnet` reads it).
    func writeStatusFile(_ slot: Slot) {
        guard let path = config.statusFilePath else { return }
        let (headRoot, headSlot) = head
        let finalized = core.store.finalizedCheckpoint
        let justified = core.store.justifiedCheckpoint
        let json = """
            {"slot":\(slot.rawValue),"head_slot":\(headSlot.rawValue),"head_root":"\(headRoot.hex)",\
            "justified_epoch":\(justified.epoch.rawValue),"finalized_epoch":\(finalized.epoch.rawValue),\
            "finalized_root":"\(finalized.root.hex)","peers":\(core.peers.count),"port":\(listenPort),\
            "api_port":\(apiPort.map(String.init) ?? "null"),"validators":\(core.signer.validatorCount),\
            "last_error":\(lastError.map(Self.jsonString) ?? "null")}

            """
        let temporary = path + ".tmp"
        do {
            try Data(json.utf8).write(to: URL(fileURLWithPath: temporary))
            _ = rename(temporary, path)
        } catch {
            // Not a `logProblem`: the status file is how problems are shown, and a full disk
            // would otherwise replace the real last error with this one every slot.
            logger.warning("writing the status file failed", metadata: ["error": "\(error)"])
        }
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                escaped += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        escaped += "\""
        precondition(escaped.count >= 2, "a JSON string has its quotes")
        return escaped
    }
}
