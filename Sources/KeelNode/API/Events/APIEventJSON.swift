import KeelChain
import KeelConsensus
import KeelCrypto
import KeelFormats

/// The `data` of each `GET /events` event, in Keel's JSON encoding (snake_case keys, hex roots,
/// numbers for slots and epochs) with the Beacon API's field names where the event exists there.
enum APIEventJSON {
    /// The server-sent event of a chain event.
    static func serverSentEvent(_ event: ChainEvent) -> ServerSentEvent {
        let data: any Encodable
        switch event {
        case let .head(slot, block, state, epochTransition):
            data = Head(slot: slot.rawValue, block: block.hex, state: state.hex, epochTransition: epochTransition)
        case let .block(slot, block):
            data = BlockImported(slot: slot.rawValue, block: block.hex)
        case let .chainReorg(reorg):
            data = Reorg(
                slot: reorg.slot.rawValue, depth: reorg.depth, oldHeadBlock: reorg.oldHeadBlock.hex,
                newHeadBlock: reorg.newHeadBlock.hex, oldHeadState: reorg.oldHeadState.hex,
                newHeadState: reorg.newHeadState.hex, epoch: reorg.epoch.rawValue)
        case let .justifiedCheckpoint(checkpoint):
            data = CheckpointEvent(block: checkpoint.root.hex, state: nil, epoch: checkpoint.epoch.rawValue)
        case let .finalizedCheckpoint(checkpoint, state):
            data = CheckpointEvent(block: checkpoint.root.hex, state: state.hex, epoch: checkpoint.epoch.rawValue)
        case let .attesterSlashing(slashing):
            data = AttesterSlashingEvent(
                attestation_1: AttestationJSON(slashing.attestation1), attestation_2: AttestationJSON(slashing.attestation2))
        case let .proposerSlashing(slashing):
            data = ProposerSlashingEvent(
                signedHeader_1: SignedHeaderJSON(slashing.signedHeader1), signedHeader_2: SignedHeaderJSON(slashing.signedHeader2))
        case let .transactionPooled(root):
            data = TransactionEvent(transactionRoot: root.hex, status: "pending", receipt: nil)
        }
        return ServerSentEvent(event: event.topic.rawValue, data: APIJSON.compactJSON(data))
    }

    /// The `transaction` event of an included transaction, with its receipt.
    static func transactionIncluded(_ receipt: APIReceiptJSON) -> ServerSentEvent {
        ServerSentEvent(
            event: ChainEventTopic.transaction.rawValue,
            data: APIJSON.compactJSON(TransactionEvent(transactionRoot: receipt.transactionRoot, status: "included", receipt: receipt)))
    }

    struct Head: Encodable {
        var slot: UInt64
        var block: String
        var state: String
        var epochTransition: Bool
    }

    struct BlockImported: Encodable {
        var slot: UInt64
        var block: String
    }

    struct Reorg: Encodable {
        var slot: UInt64
        var depth: UInt64
        var oldHeadBlock: String
        var newHeadBlock: String
        var oldHeadState: String
        var newHeadState: String
        var epoch: UInt64
    }

    /// `finalized_checkpoint` (with the block's post-state root) and `justified_checkpoint`
    /// (without: `state` is left out).
    struct CheckpointEvent: Encodable {
        var block: String
        var state: String?
        var epoch: UInt64
    }

    // The Beacon API spells these `attestation_1`, `signed_header_1`: the key strategy does not
    // split a digit off, so the names carry the underscore.
    struct AttesterSlashingEvent: Encodable {
        var attestation_1: AttestationJSON
        var attestation_2: AttestationJSON
    }

    struct ProposerSlashingEvent: Encodable {
        var signedHeader_1: SignedHeaderJSON
        var signedHeader_2: SignedHeaderJSON
    }

    struct TransactionEvent: Encodable {
        var transactionRoot: String
        /// `pending` (entered the pool) or `included` (in an imported block, with its receipt).
        var status: String
        var receipt: APIReceiptJSON?
    }

    struct AttestationJSON: Encodable {
        var validatorIndex: UInt64
        var data: DataJSON
        var signature: String

        struct DataJSON: Encodable {
            var slot: UInt64
            var beaconBlockRoot: String
            var source: APICheckpointJSON
            var target: APICheckpointJSON
        }

        init(_ attestation: Attestation) {
            validatorIndex = attestation.validatorIndex.rawValue
            let data = attestation.data
            self.data = DataJSON(
                slot: data.slot.rawValue, beaconBlockRoot: data.beaconBlockRoot.hex, source: APICheckpointJSON(data.source),
                target: APICheckpointJSON(data.target))
            signature = attestation.signature.hex
        }
    }

    struct SignedHeaderJSON: Encodable {
        var message: HeaderJSON
        var signature: String

        struct HeaderJSON: Encodable {
            var slot: UInt64
            var proposerIndex: UInt64
            var parentRoot: String
            var stateRoot: String
            var bodyRoot: String
        }

        init(_ header: SignedBlockHeader) {
            let message = header.message
            self.message = HeaderJSON(
                slot: message.slot.rawValue, proposerIndex: message.proposerIndex.rawValue, parentRoot: message.parentRoot.hex,
                stateRoot: message.stateRoot.hex, bodyRoot: message.bodyRoot.hex)
            signature = header.signature.hex
        }
    }
}
