import Foundation
import Hummingbird
import KeelChain
import KeelConsensus
import KeelCrypto
import NIOCore

/// The endpoint handlers, each turning a ``ChainView`` read into a JSON response or an
/// ``APIError``. Route wiring is in ``makeRouter(view:metrics:requestBodyBytesMax:)``.
struct APIHandlers<View: ChainView>: Sendable {
    let view: View
    let metrics: NodeMetrics
    let requestBodyBytesMax: Int

    /// The most validators one `GET /validators` returns; page with `offset` and `limit`.
    static var validatorPageCountMax: UInt64 { 1024 }

    // MARK: Node and chain

    func health() async -> Response {
        let identity = await view.identity()
        return APIJSON.response(APIHealthJSON(status: "ok", syncing: identity.isSyncing))
    }

    func identity() async -> Response {
        APIJSON.response(APIIdentityJSON(await view.identity(), genesisRoot: view.genesisRoot))
    }

    func head() async -> Response {
        let snapshot = await view.headSnapshot()
        var state = snapshot.state
        let stateRoot = state.hashTreeRoot()
        return APIJSON.response(APIHeadJSON(
            slot: state.slot.rawValue, epoch: state.getCurrentEpoch().rawValue, root: snapshot.headRoot.hex,
            stateRoot: stateRoot.hex))
    }

    func finality() async -> Response {
        let snapshot = await view.headSnapshot()
        precondition(snapshot.finalized.epoch <= snapshot.justified.epoch, "finality never runs ahead of justification")
        return APIJSON.response(APIFinalityJSON(
            justified: APICheckpointJSON(snapshot.justified), finalized: APICheckpointJSON(snapshot.finalized)))
    }

    func block(id text: String) async throws(APIError) -> Response {
        let root = try await blockRoot(id: text)
        guard let block = await view.block(root: root) else {
            throw .notFound("no block with root \(root.hex)")
        }
        precondition(block.message.hashTreeRoot == root, "the chain view returned a block under another root")
        return APIJSON.response(APIBlockJSON(block))
    }

    // MARK: Validators

    func validators(offset offsetText: String?, limit limitText: String?) async throws(APIError) -> Response {
        let offset = try APIRequestParsing.queryNumber(offsetText, name: "offset", defaultValue: 0)
        let limit = try APIRequestParsing.queryNumber(limitText, name: "limit", defaultValue: Self.validatorPageCountMax)
        guard limit >= 1, limit <= Self.validatorPageCountMax else {
            throw .badRequest("query parameter 'limit' must be from 1 to \(Self.validatorPageCountMax)")
        }
        let state = await view.headSnapshot().state
        let epoch = state.getCurrentEpoch()
        let total = UInt64(state.validators.count)
        let start = min(offset, total)
        let end = start + min(limit, total - start)
        let page = (start..<end).map { index in
            APIValidatorJSON(index: ValidatorIndex(index), validator: state.validators[Int(index)], epoch: epoch)
        }
        precondition(page.count <= Int(Self.validatorPageCountMax), "a page is bounded")
        return APIJSON.response(APIValidatorListJSON(epoch: epoch.rawValue, total: Int(total), validators: page))
    }

    func validator(index text: String) async throws(APIError) -> Response {
        let index = try APIRequestParsing.validatorIndex(text)
        let state = await view.headSnapshot().state
        guard state.isValidValidatorIndex(index) else {
            throw .notFound("no validator \(index) (the registry has \(state.validators.count))")
        }
        let validator = state.validators[Int(index.rawValue)]
        return APIJSON.response(APIValidatorJSON(index: index, validator: validator, epoch: state.getCurrentEpoch()))
    }

    // MARK: Accounts

    /// The account at the head state with its inclusion proof, or, for an address with no
    /// account, `exists: false` with the exclusion proof.
    func account(address text: String) async throws(APIError) -> Response {
        let address = try APIRequestParsing.address(text)
        var state = await view.headSnapshot().state
        let proof = state.accountProof(address)
        let stateRoot = state.stateTreeSnapshot.root
        let account = state.accounts[address]
        let key = ChainState.StateKey.account(address)
        precondition(proof.verify(key: key, valueHash: account?.hashTreeRoot, root: stateRoot), "a fresh proof verifies")
        return APIJSON.response(APIAccountJSON(
            address: address.hash.hex, exists: account != nil, balance: APIJSON.amount(account?.balance ?? .zero),
            nonce: account?.nonce ?? 0, slot: state.slot.rawValue, stateRoot: stateRoot.hex, key: key.hex,
            valueHash: account?.hashTreeRoot.hex, proof: Hex.encode(proof.encoded)))
    }

    // MARK: Transactions

    /// Decodes `{"transaction": "<hex of SignedTransaction.encoded>"}` and submits it.
    func submitTransaction(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: requestBodyBytesMax)
        precondition(body.readableBytes <= requestBodyBytesMax, "the body was collected within its bound")
        let submission: APITransactionSubmissionJSON
        do {
            submission = try JSONDecoder().decode(APITransactionSubmissionJSON.self, from: Data(body.readableBytesView))
        } catch {
            throw APIError.badRequest(#"body must be a JSON object {"transaction": "<hex>"}"#)
        }
        guard let bytes = Hex.decode(submission.transaction) else {
            throw APIError.badRequest("transaction is not hex")
        }
        let transaction: SignedTransaction
        do {
            transaction = try SignedTransaction(decoding: bytes)
        } catch {
            throw APIError.badRequest("undecodable transaction: \(error)")
        }
        do throws(TransactionSubmissionError) {
            let root = try await view.submitTransaction(transaction)
            return APIJSON.response(APITransactionAcceptedJSON(root: root.hex), status: .accepted)
        } catch {
            return APIJSON.response(
                APISubmissionErrorJSON(error: error.description, reason: error.code), status: .unprocessableContent)
        }
    }

    // MARK: Metrics

    func metricsText() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
    }
}
