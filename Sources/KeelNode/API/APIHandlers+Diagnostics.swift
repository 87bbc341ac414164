import Hummingbird
import KeelChain
import KeelConsensus
import KeelFormats

extension APIHandlers {
    /// The most fork-choice nodes one answer lists (the newest; a devnet holds far fewer).
    static var forkChoiceNodeCountMax: Int { 4_096 }

    /// `GET /fork_choice`: the tree fork choice runs on, shaped like the Beacon API's debug
    /// fork-choice answer (`fork_choice_nodes` with slot, roots, epochs and weight), plus the head.
    func forkChoice() async throws(APIError) -> Response {
        guard let view = await view.forkChoice() else { throw .notFound("this node serves no fork-choice tree") }
        let nodes = view.nodes.suffix(Self.forkChoiceNodeCountMax).map { node in
            APIForkChoiceNodeJSON(
                slot: node.slot.rawValue, blockRoot: node.root.hex, parentRoot: node.parentRoot?.hex,
                justifiedEpoch: node.justifiedEpoch.rawValue, finalizedEpoch: node.finalizedEpoch.rawValue,
                weight: APIJSON.amount(node.weight), validity: "valid")
        }
        return APIJSON.response(APIForkChoiceJSON(
            headRoot: view.head.hex, justifiedCheckpoint: APICheckpointJSON(view.justified),
            finalizedCheckpoint: APICheckpointJSON(view.finalized), forkChoiceNodes: Array(nodes)))
    }

    /// `GET /node/peers`: the connected peers, with what each announced.
    func peers() async -> Response {
        let peers = await view.peers().map { peer in
            APIPeerJSON(
                peerId: String(peer.id.rawValue), address: peer.address, direction: peer.isOutbound ? "outbound" : "inbound",
                state: peer.hello == nil ? "connecting" : "connected", nodeId: peer.hello.map { String($0.nodeID, radix: 16) },
                listenPort: peer.hello.map { Int($0.listenPort) }, headSlot: peer.hello?.status.headSlot.rawValue,
                headRoot: peer.hello?.status.headRoot.hex, finalizedEpoch: peer.hello?.status.finalized.epoch.rawValue,
                score: peer.score, queuedFrames: peer.outboundQueueCount, droppedFrames: peer.outboundDroppedCount)
        }
        return APIJSON.response(APIPeerListJSON(count: peers.count, peers: peers))
    }
}

struct APIForkChoiceJSON: Encodable {
    var headRoot: String
    var justifiedCheckpoint: APICheckpointJSON
    var finalizedCheckpoint: APICheckpointJSON
    var forkChoiceNodes: [APIForkChoiceNodeJSON]
}

struct APIForkChoiceNodeJSON: Encodable {
    var slot: UInt64
    var blockRoot: String
    /// Null for the tree's root (the anchor or finalized block).
    var parentRoot: String?
    var justifiedEpoch: UInt64
    var finalizedEpoch: UInt64
    var weight: String
    var validity: String

    enum CodingKeys: String, CodingKey {
        case slot, blockRoot, parentRoot, justifiedEpoch, finalizedEpoch, weight, validity
    }

    // Written out so that the root's missing parent is `null`, as the Beacon API has it.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(slot, forKey: .slot)
        try container.encode(blockRoot, forKey: .blockRoot)
        try container.encode(parentRoot, forKey: .parentRoot)
        try container.encode(justifiedEpoch, forKey: .justifiedEpoch)
        try container.encode(finalizedEpoch, forKey: .finalizedEpoch)
        try container.encode(weight, forKey: .weight)
        try container.encode(validity, forKey: .validity)
    }
}

struct APIPeerListJSON: Encodable {
    var count: Int
    var peers: [APIPeerJSON]
}

/// One peer; the chain fields are what its handshake announced (null before it).
struct APIPeerJSON: Encodable {
    var peerId: String
    var address: String
    var direction: String
    var state: String
    var nodeId: String?
    var listenPort: Int?
    var headSlot: UInt64?
    var headRoot: String?
    var finalizedEpoch: UInt64?
    var score: Int64
    var queuedFrames: Int
    var droppedFrames: Int
}

extension APIHandlers {
    /// `GET /proposers`: the proposer of every slot of the head state's epoch (what the
    /// explorer counts missed proposals by).
    func proposers() async throws(APIError) -> Response {
        let state = await view.headSnapshot().state
        let epoch = state.getCurrentEpoch()
        let start = state.computeStartSlotAtEpoch(epoch).rawValue
        var proposers: [APIProposerJSON] = []
        for slot in start..<(start + state.preset.slotsPerEpoch) {
            do {
                proposers.append(APIProposerJSON(slot: slot, validatorIndex: try state.getBeaconProposerIndex(at: Slot(slot)).rawValue))
            } catch {
                throw APIError(.serviceUnavailable, "no proposer for slot \(slot): \(error)")
            }
        }
        return APIJSON.response(APIProposersJSON(epoch: epoch.rawValue, proposers: proposers))
    }
}

struct APIProposersJSON: Encodable {
    var epoch: UInt64
    var proposers: [APIProposerJSON]
}

struct APIProposerJSON: Encodable {
    var slot: UInt64
    var validatorIndex: UInt64
}
