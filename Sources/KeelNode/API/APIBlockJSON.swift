import KeelChain
import KeelCrypto

/// A block as `GET /blocks/{id}` returns it: the header fields, a summary of the body, and the
/// canonical encoding of the whole signed block (`encoded`), from which a client can check
/// everything else.
struct APIBlockJSON: Encodable {
    var root: String
    var slot: UInt64
    var proposerIndex: UInt64
    var parentRoot: String
    var stateRoot: String
    var bodyRoot: String
    var signature: String
    var body: APIBlockBodyJSON
    /// Hex of `SignedBlock.encoded`.
    var encoded: String

    init(_ signed: SignedBlock) {
        let block = signed.message
        root = block.hashTreeRoot.hex
        slot = block.slot.rawValue
        proposerIndex = block.proposerIndex.rawValue
        parentRoot = block.parentRoot.hex
        stateRoot = block.stateRoot.hex
        bodyRoot = block.body.hashTreeRoot.hex
        signature = signed.signature.hex
        body = APIBlockBodyJSON(block.body)
        encoded = Hex.encode(signed.encoded)
    }
}

struct APIBlockBodyJSON: Encodable {
    var randaoReveal: String
    var attestationCount: Int
    var transactions: [APITransactionJSON]
    var proposerSlashings: [APIProposerSlashingJSON]
    var attesterSlashings: [APIAttesterSlashingJSON]

    init(_ body: BlockBody) {
        randaoReveal = body.randaoReveal.hex
        attestationCount = body.attestations.count
        transactions = body.transactions.map(APITransactionJSON.init)
        proposerSlashings = body.proposerSlashings.map(APIProposerSlashingJSON.init)
        attesterSlashings = body.attesterSlashings.map(APIAttesterSlashingJSON.init)
    }
}

/// A transaction's summary; `root` is the signed transaction's `hashTreeRoot`, the same root
/// `POST /transactions` answers with.
struct APITransactionJSON: Encodable {
    var root: String
    var sender: String
    var nonce: UInt64
    var fee: String
    /// `transfer`, `deploy`, `call`, `deposit` or `exit`; the fields below appear by kind.
    var kind: String
    var recipient: String?
    var amount: String?
    var codeBytes: Int?
    var program: String?
    var inputCells: Int?
    var stepLimit: UInt64?
    var validatorKey: String?
    var validatorIndex: UInt64?

    init(_ signed: SignedTransaction) {
        let transaction = signed.message
        root = signed.hashTreeRoot.hex
        sender = transaction.sender.hash.hex
        nonce = transaction.nonce
        fee = APIJSON.amount(transaction.fee)
        switch transaction.kind {
        case .transfer(let recipient, let amount):
            kind = "transfer"
            self.recipient = recipient.hash.hex
            self.amount = APIJSON.amount(amount)
        case .deploy(let code):
            kind = "deploy"
            codeBytes = code.count
        case .call(let program, let input, let stepLimit):
            kind = "call"
            self.program = program.hash.hex
            inputCells = input.count
            self.stepLimit = stepLimit
        case .deposit(let validatorKey, let amount, _, _):
            kind = "deposit"
            self.validatorKey = validatorKey.hex
            self.amount = APIJSON.amount(amount)
        case .exit(let validator):
            kind = "exit"
            validatorIndex = validator.rawValue
        }
    }
}

struct APIProposerSlashingJSON: Encodable {
    var proposerIndex: UInt64
    var slot: UInt64
    var headerRoots: [String]

    init(_ slashing: ProposerSlashing) {
        proposerIndex = slashing.signedHeader1.message.proposerIndex.rawValue
        slot = slashing.signedHeader1.message.slot.rawValue
        headerRoots = [slashing.signedHeader1.message.hashTreeRoot.hex, slashing.signedHeader2.message.hashTreeRoot.hex]
    }
}

struct APIAttesterSlashingJSON: Encodable {
    var validatorIndex: UInt64
    var targetEpochs: [UInt64]

    init(_ slashing: AttesterSlashing) {
        validatorIndex = slashing.attestation1.validatorIndex.rawValue
        targetEpochs = [slashing.attestation1.data.target.epoch.rawValue, slashing.attestation2.data.target.epoch.rawValue]
    }
}
