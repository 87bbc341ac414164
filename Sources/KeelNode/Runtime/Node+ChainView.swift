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
            peerCount: peers.filter { $0.hello != nil }.count, validatorCount: validators.indices.count, isSyncing: isSyncing)
    }

    /// The head, its state and the checkpoints, taken together.
    public func headSnapshot() -> HeadSnapshot {
        let head = store.getHead()
        guard let state = store.state(head) else { preconditionFailure("the head has a state") }
        return HeadSnapshot(
            headRoot: head, state: state, justified: store.justifiedCheckpoint, finalized: store.finalizedCheckpoint)
    }

    /// A known block: from the store, else from the database.
    func lookUpBlock(_ root: Root) -> SignedBlock? {
        if let block = store.block(root) { return block }
        return try? chainDatabase.block(root: root)
    }

    /// The blocks held among `roots`.
    public func blocks(roots: [Root]) -> [SignedBlock] {
        roots.prefix(Int(WireLimits.requestRootCountMax)).compactMap(lookUpBlock)
    }

    /// The canonical (head-chain) blocks of slots `startSlot ..< startSlot + count`, in slot
    /// order, found by walking back from the head (bounded by ``canonicalWalkMax``).
    public func canonicalBlocks(startSlot: Slot, count: UInt64) -> [SignedBlock] {
        let end = startSlot.rawValue.addingReportingOverflow(count)
        let endSlot = end.overflow ? UInt64.max : end.partialValue
        var found: [SignedBlock] = []
        var root = store.getHead()
        for _ in 0..<Self.canonicalWalkMax {
            guard let block = lookUpBlock(root), block.message.slot >= startSlot else { break }
            if block.message.slot.rawValue < endSlot { found.append(block) }
            root = block.message.parentRoot
        }
        precondition(found.count <= Int(clamping: count), "at most one block a slot")
        return found.reversed()
    }

    /// The root of the canonical block at `slot`, nil for an empty, unknown or future slot.
    public func canonicalBlockRoot(slot: Slot) -> Root? {
        let head = store.getHead()
        if slot == Slot(0) { return store.slot(of: head) == Slot(0) ? head : canonicalBlocks(startSlot: slot, count: 1).first?.message.hashTreeRoot }
        return canonicalBlocks(startSlot: slot, count: 1).first?.message.hashTreeRoot
    }

    /// Pools a transaction and gossips it.
    ///
    /// Signature and nonce are checked when a proposer includes it (`produceBlock` drops
    /// invalid operations); the pool is bounded.
    public func submitTransaction(_ transaction: SignedTransaction) throws(TransactionSubmissionError) -> Root {
        guard !isSyncing else { throw .syncing }
        guard transactions.count < Self.transactionCountMax else { throw .poolFull }
        if !transactions.contains(transaction) {
            transactions.append(transaction)
            network?.broadcast(.transaction(transaction))
        }
        return transaction.message.hashTreeRoot
    }

    /// Rewrites the status file (if configured) atomically: one JSON object with the slot, the
    /// head, the justified and finalized checkpoints, the peer count, the P2P and API ports, the
    /// number of validators run and the last problem logged (`keel testnet` reads it).
    func writeStatusFile(_ slot: Slot) {
        guard let path = config.statusFilePath else { return }
        let (headRoot, headSlot) = head
        let finalized = store.finalizedCheckpoint
        let justified = store.justifiedCheckpoint
        let json = """
            {"slot":\(slot.rawValue),"head_slot":\(headSlot.rawValue),"head_root":"\(headRoot.hex)",\
            "justified_epoch":\(justified.epoch.rawValue),"finalized_epoch":\(finalized.epoch.rawValue),\
            "finalized_root":"\(finalized.root.hex)","peers":\(peerHeadSlots.count),"port":\(listenPort),\
            "api_port":\(apiPort.map(String.init) ?? "null"),"validators":\(validators.indices.count),\
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
