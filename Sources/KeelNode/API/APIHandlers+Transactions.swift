import Hummingbird
import KeelChain
import KeelCrypto
import KeelFormats

extension APIHandlers {
    /// `GET /transactions/{root}`: `pending`, `included` (with the receipt of the canonical
    /// block that holds it) or `unknown`; 404 only for `unknown`.
    func transaction(root text: String) async throws(APIError) -> Response {
        let root = try APIRequestParsing.root(text, name: "transaction root")
        let status: TransactionStatus
        do { status = try await view.transactionStatus(root: root) } catch {
            throw APIError(.internalServerError, "reading the receipts failed: \(error)")
        }
        // The canonical inclusion wins; a fork's block is reported as such when it is all there is.
        let inclusion = status.inclusions.first(where: \.isCanonical) ?? status.inclusions.last
        if let inclusion {
            return APIJSON.response(APITransactionStatusJSON(
                transactionRoot: root.hex, status: "included", canonical: inclusion.isCanonical, receipt: inclusion.receipt))
        }
        if status.isPending {
            return APIJSON.response(APITransactionStatusJSON(transactionRoot: root.hex, status: "pending", canonical: nil, receipt: nil))
        }
        return APIJSON.response(
            APITransactionStatusJSON(transactionRoot: root.hex, status: "unknown", canonical: nil, receipt: nil), status: .notFound)
    }

    /// `GET /blocks/{id}/receipts`: the block's transaction receipts, in block order.
    func receipts(id text: String) async throws(APIError) -> Response {
        let root = try await blockRoot(id: text)
        guard let block = await view.block(root: root) else { throw .notFound("no block with root \(root.hex)") }
        let receipts: [APIReceiptJSON]
        do { receipts = try await view.receipts(blockRoot: root) } catch {
            throw APIError(.internalServerError, "reading the receipts failed: \(error)")
        }
        guard receipts.count == block.message.body.transactions.count else {
            throw APIError(
                .serviceUnavailable,
                "block \(root.hex) has \(block.message.body.transactions.count) transactions but \(receipts.count) stored receipts")
        }
        return APIJSON.response(APIBlockReceiptsJSON(blockRoot: root.hex, slot: block.message.slot.rawValue, receipts: receipts))
    }
}
